/** Writing results to stdout and sentences to stderr; the only place that does either. */
import type { OutputContext } from '../context.js';
import { describeError } from '../errors.js';
import { redact } from '../log.js';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Writes one plain sentence to stderr (for a person at a terminal). */
export function writeError(message: string): void {
  process.stderr.write(`inplanning: ${String(redact(message))}\n`);
}

/** A failed outputContext with one error audit log, for answers the action never produced. */
export function failedOutput(action: string, error: unknown): OutputContext {
  return {
    Success: false,
    AuditLogs: [{ Action: action, Message: String(redact(describeError(error))), IsError: true }],
  };
}
