/**
 * JSON text of roster days built from cached fragments. Roster objects never change after
 * loading and their parts are shared between many days, so each part is serialized only once;
 * large roster answers then cost little more than joining strings.
 */
import type { Day, Part } from '../inplanning/schemas.js';

const fragments = new WeakMap<object, string>();

function fragment(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  let text = fragments.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    fragments.set(value, text);
  }
  return text;
}

/** A list of parts is cached as a whole too; lists filtered for one request are soon dropped. */
function partsJson(parts: Part[]): string {
  let text = fragments.get(parts);
  if (text === undefined) {
    text = `[${parts.map(fragment).join(',')}]`;
    fragments.set(parts, text);
  }
  return text;
}

/** Days with exactly the three known fields take the fast path; others are serialized whole. */
function dayJson(day: Day): string {
  if (Object.keys(day).length !== 3 || !Array.isArray(day.parts) || !('absence' in day)) {
    return JSON.stringify(day);
  }
  const date = JSON.stringify(day.rosterDate);
  const absence = fragment(day.absence);
  const parts = partsJson(day.parts);
  return `{"rosterDate":${date},"absence":${absence},"parts":${parts}}`;
}

/** The JSON array of `days`. */
export function daysJson(days: Day[]): string {
  return `[${days.map(dayJson).join(',')}]`;
}
