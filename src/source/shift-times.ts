/**
 * Shift times: the wall-clock times at the start of a shift code, turned into instants on the
 * roster date in the tenant's zone. Pure functions; every rule about night shifts, codes without
 * times and daylight saving time lives here.
 *
 * Daylight saving rules:
 * - a wall time that does not exist (inside a spring-forward gap) moves forward by the length of
 *   the gap, so 02:30 on the night clocks go from 02:00 to 03:00 becomes 03:30;
 * - a wall time that exists twice (inside an autumn overlap) takes its first occurrence, the one
 *   with the summer-time offset.
 */
import { DateTime, IANAZone } from 'luxon';

/** A wall-clock time of day. `hour` 24 (with minute 0) is allowed only as an end time. */
export interface ClockTime {
  hour: number;
  minute: number;
}

/** The start and end wall times read from a shift code. */
export interface ShiftClock {
  start: ClockTime;
  end: ClockTime;
}

/** A shift as two instants (milliseconds since the epoch); `allDay` when the code had no times. */
export interface ShiftInstants {
  start: number;
  end: number;
  allDay: boolean;
}

/** The times a contract carries, as ISO 8601 instants with the zone's offset. */
export interface ContractTimes {
  StartDate: string;
  EndDate: string;
  AccessStartDate: string;
  AccessEndDate: string;
  /** True when the shift code has no times and the contract covers its whole roster day. */
  AllDay: boolean;
}

/** What the time computation needs from the settings. */
export interface TimeSettings {
  TimeZone: string;
  AccessLeadMinutes: number;
  AccessLagMinutes: number;
}

// `07:00-15:30 Vroeg`, `7:00-15:30`, `0700-1530`, `2300-0715N`; each time is HH:MM, H:MM or HHMM,
// and a digit may not follow the end time (so `0700-15301` is not read as times).
const TIME = String.raw`(\d{1,2}):(\d{2})|(\d{2})(\d{2})`;
const SHIFT_CODE_TIMES = new RegExp(String.raw`^\s*(?:${TIME})\s*-\s*(?:${TIME})(?!\d)`);

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Reads the times at the start of a shift code; undefined when the code carries none. */
export function parseShiftClock(code: string): ShiftClock | undefined {
  const match = SHIFT_CODE_TIMES.exec(code);
  if (!match) return undefined;
  const start = clockTime(match[1] ?? match[3], match[2] ?? match[4]);
  const end = clockTime(match[5] ?? match[7], match[6] ?? match[8]);
  if (!start || !end || start.hour === 24) return undefined;
  return { start, end };
}

function clockTime(hourText: string | undefined, minuteText: string | undefined) {
  const hour = Number(hourText);
  const minute = Number(minuteText);
  if (!Number.isInteger(hour) || !Number.isInteger(minute)) return undefined;
  if (minute > 59 || hour > 24 || (hour === 24 && minute !== 0)) return undefined;
  return { hour, minute };
}

/**
 * The instants a shift runs on `rosterDate` (yyyy-MM-dd) in `zone`. An end at or before the start
 * falls on the next day; a code without times covers local midnight to the next local midnight.
 */
export function shiftInstants(code: string, rosterDate: string, zone: string): ShiftInstants {
  const day = parseDate(rosterDate);
  const clock = parseShiftClock(code);
  if (!clock) {
    return {
      start: wallToInstant(day, { hour: 0, minute: 0 }, zone),
      end: wallToInstant(day + DAY, { hour: 0, minute: 0 }, zone),
      allDay: true,
    };
  }
  const endsNextDay = minutesOf(clock.end) <= minutesOf(clock.start);
  return {
    start: wallToInstant(day, clock.start, zone),
    end: wallToInstant(endsNextDay ? day + DAY : day, clock.end, zone),
    allDay: false,
  };
}

/** Computed times by zone, lead, lag, code and date: a roster repeats few of them many times. */
const memo = new Map<string, { shift: ShiftInstants; times: ContractTimes }>();
const MEMO_LIMIT = 50_000;

/**
 * The shift's instants and its access window (widened by lead and lag), formatted. Results are
 * shared between calls with the same inputs, so callers must not change them.
 */
export function contractTimes(
  code: string,
  rosterDate: string,
  settings: TimeSettings,
): { shift: ShiftInstants; times: ContractTimes } {
  const zone = settings.TimeZone;
  const key =
    `${zone}\u0000${settings.AccessLeadMinutes}\u0000${settings.AccessLagMinutes}` +
    `\u0000${code}\u0000${rosterDate}`;
  const known = memo.get(key);
  if (known) return known;

  const shift = shiftInstants(code, rosterDate, zone);
  const times: ContractTimes = {
    StartDate: formatInstant(shift.start, zone),
    EndDate: formatInstant(shift.end, zone),
    AccessStartDate: formatInstant(shift.start - settings.AccessLeadMinutes * MINUTE, zone),
    AccessEndDate: formatInstant(shift.end + settings.AccessLagMinutes * MINUTE, zone),
    AllDay: shift.allDay,
  };
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, { shift, times });
  return { shift, times };
}

/** An instant as ISO 8601 in `zone`, with its offset and without milliseconds. */
export function formatInstant(instant: number, zone: string): string {
  return DateTime.fromMillis(instant, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}

/** The UTC midnight (epoch milliseconds) that stands for a yyyy-MM-dd date. */
export function parseDate(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  const value = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (Number.isNaN(value) || new Date(value).toISOString().slice(0, 10) !== date.slice(0, 10)) {
    throw new RangeError(`"${date}" is not a calendar date (yyyy-MM-dd).`);
  }
  return value;
}

function minutesOf(time: ClockTime): number {
  return time.hour * 60 + time.minute;
}

/**
 * The instant at which the wall clock in `zone` shows `time` on the date `day` (a UTC midnight).
 * Offsets are taken a day before and after, which brackets any real zone's single transition.
 */
function wallToInstant(day: number, time: ClockTime, zone: string): number {
  const wall = day + minutesOf(time) * MINUTE;
  const iana = IANAZone.create(zone);
  const before = iana.offset(wall - DAY);
  const after = iana.offset(wall + DAY);
  const candidates = [before, after]
    .map((offset) => wall - offset * MINUTE)
    .filter((instant) => wall - iana.offset(instant) * MINUTE === instant);
  // Two candidates: an autumn overlap, take the first occurrence. None: a spring gap, read
  // the wall time with the offset in force before the gap, which moves it forward by the gap.
  if (candidates.length > 0) return Math.min(...candidates);
  return wall - before * MINUTE;
}
