/** The roster window of a source read: an inclusive range of roster dates in the tenant's zone. */
import { DateTime } from 'luxon';
import { InputError } from '../errors.js';
import { parseDate } from './shift-times.js';

/** First and last roster date (yyyy-MM-dd), both inclusive. */
export interface RosterWindow {
  from: string;
  to: string;
}

export interface WindowSettings {
  TimeZone: string;
  HistoricalDays: number;
  FutureDays: number;
}

/** Explicit bounds (`--from`, `--to`); either may be left out. */
export interface WindowBounds {
  from?: string | undefined;
  to?: string | undefined;
}

/** The window from HistoricalDays before today to FutureDays after it, unless bounds are given. */
export function rosterWindow(
  settings: WindowSettings,
  bounds: WindowBounds = {},
  now: Date = new Date(),
): RosterWindow {
  const today = DateTime.fromJSDate(now, { zone: settings.TimeZone }).startOf('day');
  const from = bounds.from ?? isoDate(today.minus({ days: settings.HistoricalDays }));
  const to = bounds.to ?? isoDate(today.plus({ days: settings.FutureDays }));
  checkDate('--from', from);
  checkDate('--to', to);
  if (from > to) {
    throw new InputError(`The roster window is empty: --from ${from} is after --to ${to}.`);
  }
  return { from, to };
}

/** Whether a roster date (yyyy-MM-dd, possibly followed by a time) lies inside the window. */
export function inWindow(window: RosterWindow, rosterDate: string): boolean {
  const date = rosterDate.slice(0, 10);
  return date >= window.from && date <= window.to;
}

function isoDate(date: DateTime): string {
  return date.toFormat('yyyy-MM-dd');
}

function checkDate(flag: string, date: string): void {
  let valid = /^\d{4}-\d{2}-\d{2}$/.test(date);
  if (valid) {
    try {
      parseDate(date);
    } catch {
      valid = false;
    }
  }
  if (!valid) throw new InputError(`${flag} must be a calendar date yyyy-MM-dd (got "${date}").`);
}
