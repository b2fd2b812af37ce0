import { describe, expect, it } from 'vitest';
import {
  contractTimes,
  parseShiftClock,
  shiftInstants,
  type TimeSettings,
} from '../../src/source/shift-times.js';

const AMSTERDAM: TimeSettings = {
  TimeZone: 'Europe/Amsterdam',
  AccessLeadMinutes: 0,
  AccessLagMinutes: 0,
};

function times(code: string, date: string, settings: Partial<TimeSettings> = {}) {
  return contractTimes(code, date, { ...AMSTERDAM, ...settings }).times;
}

function hours(code: string, date: string, zone = 'Europe/Amsterdam'): number {
  const shift = shiftInstants(code, date, zone);
  return (shift.end - shift.start) / 3_600_000;
}

describe('parseShiftClock', () => {
  it('reads both code formats and single-digit hours', () => {
    expect(parseShiftClock('07:00-15:30 Vroeg')).toEqual({
      start: { hour: 7, minute: 0 },
      end: { hour: 15, minute: 30 },
    });
    expect(parseShiftClock('2300-0715')).toEqual({
      start: { hour: 23, minute: 0 },
      end: { hour: 7, minute: 15 },
    });
    expect(parseShiftClock('7:00 - 15:30')).toEqual({
      start: { hour: 7, minute: 0 },
      end: { hour: 15, minute: 30 },
    });
    expect(parseShiftClock('0700-1530N')).toEqual({
      start: { hour: 7, minute: 0 },
      end: { hour: 15, minute: 30 },
    });
  });

  it('finds no times in codes without them or with impossible ones', () => {
    for (const code of ['Bereikbaar', 'Scholing 07:00-15:00', '25:00-07:00', '0760-0800']) {
      expect(parseShiftClock(code), code).toBeUndefined();
    }
    expect(parseShiftClock('0700-15301')).toBeUndefined();
    expect(parseShiftClock('24:00-08:00')).toBeUndefined();
  });
});

describe('contractTimes in Europe/Amsterdam', () => {
  it('ends a night shift 8 hours later when the clocks go forward the next morning', () => {
    expect(times('22:00-07:00 Nacht', '2026-03-28')).toEqual({
      StartDate: '2026-03-28T22:00:00+01:00',
      EndDate: '2026-03-29T07:00:00+02:00',
      AccessStartDate: '2026-03-28T22:00:00+01:00',
      AccessEndDate: '2026-03-29T07:00:00+02:00',
      AllDay: false,
    });
    expect(hours('22:00-07:00 Nacht', '2026-03-28')).toBe(8);
  });

  it('ends a night shift on the night the clocks go back the next morning, 10 hours later', () => {
    expect(times('22:00-07:00 Nacht', '2026-10-24')).toMatchObject({
      StartDate: '2026-10-24T22:00:00+02:00',
      EndDate: '2026-10-25T07:00:00+01:00',
      AllDay: false,
    });
    expect(hours('22:00-07:00 Nacht', '2026-10-24')).toBe(10);
  });

  it('keeps day shifts on and after both transition dates in the local offset', () => {
    expect(times('07:00-15:30 Vroeg', '2026-03-28')).toMatchObject({
      StartDate: '2026-03-28T07:00:00+01:00',
      EndDate: '2026-03-28T15:30:00+01:00',
    });
    expect(times('07:00-15:30 Vroeg', '2026-03-29')).toMatchObject({
      StartDate: '2026-03-29T07:00:00+02:00',
      EndDate: '2026-03-29T15:30:00+02:00',
    });
    expect(times('07:00-15:30 Vroeg', '2026-10-24')).toMatchObject({
      StartDate: '2026-10-24T07:00:00+02:00',
      EndDate: '2026-10-24T15:30:00+02:00',
    });
    expect(times('07:00-15:30 Vroeg', '2026-10-25')).toMatchObject({
      StartDate: '2026-10-25T07:00:00+01:00',
      EndDate: '2026-10-25T15:30:00+01:00',
    });
  });

  it('reads the HHMM format the same way', () => {
    expect(times('2300-0715', '2026-03-28')).toMatchObject({
      StartDate: '2026-03-28T23:00:00+01:00',
      EndDate: '2026-03-29T07:15:00+02:00',
    });
    expect(times('0700-1530', '2026-10-24')).toMatchObject({
      StartDate: '2026-10-24T07:00:00+02:00',
      EndDate: '2026-10-24T15:30:00+02:00',
    });
  });

  it('covers the whole local day for a code without times: 23, 24 and 25 hours', () => {
    expect(times('Bereikbaar', '2026-03-29')).toEqual({
      StartDate: '2026-03-29T00:00:00+01:00',
      EndDate: '2026-03-30T00:00:00+02:00',
      AccessStartDate: '2026-03-29T00:00:00+01:00',
      AccessEndDate: '2026-03-30T00:00:00+02:00',
      AllDay: true,
    });
    expect(hours('Bereikbaar', '2026-03-29')).toBe(23);
    expect(times('Scholing', '2026-10-25')).toMatchObject({
      StartDate: '2026-10-25T00:00:00+02:00',
      EndDate: '2026-10-26T00:00:00+01:00',
      AllDay: true,
    });
    expect(hours('Scholing', '2026-10-25')).toBe(25);
    expect(hours('Scholing', '2026-06-10')).toBe(24);
  });

  it('widens the access window by lead and lag, across a clock change', () => {
    const lead60lag30 = { AccessLeadMinutes: 60, AccessLagMinutes: 30 };
    expect(times('22:00-07:00', '2026-03-28', lead60lag30)).toEqual({
      StartDate: '2026-03-28T22:00:00+01:00',
      EndDate: '2026-03-29T07:00:00+02:00',
      AccessStartDate: '2026-03-28T21:00:00+01:00',
      AccessEndDate: '2026-03-29T07:30:00+02:00',
      AllDay: false,
    });
    // 03:00 summer time is 01:00 UTC; an hour earlier is 01:00 winter time.
    expect(times('03:00-11:00', '2026-03-29', lead60lag30)).toMatchObject({
      StartDate: '2026-03-29T03:00:00+02:00',
      AccessStartDate: '2026-03-29T01:00:00+01:00',
      AccessEndDate: '2026-03-29T11:30:00+02:00',
    });
    expect(
      times('Bereikbaar', '2026-10-25', { AccessLeadMinutes: 15, AccessLagMinutes: 45 }),
    ).toMatchObject({
      AccessStartDate: '2026-10-24T23:45:00+02:00',
      AccessEndDate: '2026-10-26T00:45:00+01:00',
    });
  });

  it('moves a wall time inside the spring gap forward by the gap', () => {
    expect(times('02:30-10:00', '2026-03-29')).toMatchObject({
      StartDate: '2026-03-29T03:30:00+02:00',
      EndDate: '2026-03-29T10:00:00+02:00',
    });
    expect(times('18:00-02:30', '2026-03-28')).toMatchObject({
      EndDate: '2026-03-29T03:30:00+02:00',
    });
  });

  it('takes the first occurrence of a wall time inside the autumn overlap', () => {
    expect(times('02:30-10:00', '2026-10-25')).toMatchObject({
      StartDate: '2026-10-25T02:30:00+02:00',
    });
    expect(hours('18:00-02:30', '2026-10-24')).toBe(8.5);
  });

  it('never makes a zero-length contract: equal times run 24 hours, 24:00 is midnight', () => {
    expect(times('07:00-07:00', '2026-06-10')).toMatchObject({
      StartDate: '2026-06-10T07:00:00+02:00',
      EndDate: '2026-06-11T07:00:00+02:00',
    });
    expect(times('16:00-24:00 Laat', '2026-03-28')).toMatchObject({
      StartDate: '2026-03-28T16:00:00+01:00',
      EndDate: '2026-03-29T00:00:00+01:00',
    });
  });
});

describe('contractTimes in other zones', () => {
  it('uses the offsets of America/New_York across its own clock change', () => {
    expect(times('22:00-07:00', '2026-03-07', { TimeZone: 'America/New_York' })).toMatchObject({
      StartDate: '2026-03-07T22:00:00-05:00',
      EndDate: '2026-03-08T07:00:00-04:00',
    });
    expect(hours('22:00-07:00', '2026-03-07', 'America/New_York')).toBe(8);
  });

  it('writes UTC as +00:00 and keeps half-hour offsets', () => {
    expect(times('0700-1530', '2026-03-29', { TimeZone: 'UTC' })).toMatchObject({
      StartDate: '2026-03-29T07:00:00+00:00',
      EndDate: '2026-03-29T15:30:00+00:00',
    });
    expect(times('22:00-07:00', '2026-03-28', { TimeZone: 'Asia/Kolkata' })).toMatchObject({
      StartDate: '2026-03-28T22:00:00+05:30',
      EndDate: '2026-03-29T07:00:00+05:30',
    });
  });

  it('refuses a roster date that is not a calendar date', () => {
    expect(() => shiftInstants('07:00-15:00', '2026-02-30', 'UTC')).toThrow(/calendar date/);
  });
});
