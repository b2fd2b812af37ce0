/** Reading the JSON files a mapping is configured with. */
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';

/** Reads and parses a JSON file (a leading byte-order mark is allowed); `what` names it. */
export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason =
      (error as { code?: unknown }).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new InputError(`The ${what} ${file} ${reason}.`, { cause: error });
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    throw new InputError(`The ${what} ${file} is not valid JSON.`, { cause: error });
  }
}

/** Whether a value is a plain JSON object (not null, not a list). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
