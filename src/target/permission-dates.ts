/**
 * Dates as InPlanning writes them (yyyy-MM-dd) in the tenant's zone, from the contract dates the
 * engine sends (a date, a local date-time, or an instant with its offset).
 */

const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** The calendar date of `instant` in `zone`, as yyyy-MM-dd. */
export function dateInZone(instant: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((item) => item.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Today in the tenant's zone. */
export function todayIn(zone: string): string {
  return dateInZone(new Date(), zone);
}

/**
 * A contract date as yyyy-MM-dd in `zone`: an instant (with Z or an offset) is converted to the
 * zone; a date or a date-time without offset is already local. Undefined when it is not a date.
 */
export function contractDate(text: string, zone: string): string | undefined {
  const match = ISO.exec(text.trim());
  if (!match) return undefined;
  const [, date, offset] = match;
  if (!isCalendarDate(date!)) return undefined;
  if (!offset) return date;
  const instant = new Date(text.trim());
  return Number.isNaN(instant.getTime()) ? undefined : dateInZone(instant, zone);
}

function isCalendarDate(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date);
}
