import { describe, expect, it } from 'vitest';
import { contractDate, dateInZone } from '../../../src/target/permission-dates.js';

const ZONE = 'Europe/Amsterdam';

describe('contract dates in the tenant zone', () => {
  it('keeps a date, and the date of a local date-time', () => {
    expect(contractDate('2026-08-31', ZONE)).toBe('2026-08-31');
    expect(contractDate('2026-08-31T23:59:59', ZONE)).toBe('2026-08-31');
  });

  it('converts an instant with an offset to the zone, across daylight saving time', () => {
    expect(contractDate('2026-06-30T22:30:00Z', ZONE)).toBe('2026-07-01');
    expect(contractDate('2026-06-30T21:59:59Z', ZONE)).toBe('2026-06-30');
    expect(contractDate('2026-12-31T22:59:59Z', ZONE)).toBe('2026-12-31');
    expect(contractDate('2026-12-31T23:00:00Z', ZONE)).toBe('2027-01-01');
    expect(contractDate('2026-03-01T01:00:00+05:00', ZONE)).toBe('2026-02-28');
  });

  it('refuses what is not a date', () => {
    for (const text of ['', '31-08-2026', '2026-02-30', 'tomorrow', '2026-08-31T25']) {
      expect(contractDate(text, ZONE)).toBeUndefined();
    }
  });

  it('formats an instant as the calendar date of the zone', () => {
    expect(dateInZone(new Date('2026-03-10T23:30:00Z'), ZONE)).toBe('2026-03-11');
    expect(dateInZone(new Date('2026-03-10T23:30:00Z'), 'America/New_York')).toBe('2026-03-10');
  });
});
