/**
 * Captures what the process writes to stdout and stderr, both through the streams and through
 * the file descriptors that pino writes to synchronously, without letting it reach the terminal.
 */
import fs from 'node:fs';
import { vi } from 'vitest';

export interface Captured {
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far (pino's JSON lines included). */
  stderr(): string;
  /** The JSON log lines written to stderr, parsed. */
  lines(): Record<string, unknown>[];
  restore(): void;
}

/** Starts capturing; call `restore()` (for example in afterEach) to stop. */
export function captureOutput(): Captured {
  const out: string[] = [];
  const err: string[] = [];
  const realWriteSync = fs.writeSync.bind(fs);
  const spies = [
    vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: unknown, ...rest: never[]) => {
      const text = typeof data === 'string' ? data : Buffer.from(data as Uint8Array).toString();
      if (fd === 1 || fd === 2) {
        (fd === 1 ? out : err).push(text);
        return Buffer.byteLength(text);
      }
      return (realWriteSync as (...args: unknown[]) => number)(fd, data, ...rest);
    }) as typeof fs.writeSync),
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    }),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err.push(String(chunk));
      return true;
    }),
  ];
  return {
    stdout: () => out.join(''),
    stderr: () => err.join(''),
    lines: () =>
      err
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}
