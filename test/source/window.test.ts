import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { rosterWindow } from '../../src/source/window.js';

const SETTINGS = { TimeZone: 'Europe/Amsterdam', HistoricalDays: 1, FutureDays: 14 };

describe('rosterWindow', () => {
  it("counts days from today in the tenant's zone, not in UTC", () => {
    // 23:30 UTC on 28 March is already 29 March in Amsterdam.
    const now = new Date('2026-03-28T23:30:00Z');
    expect(rosterWindow(SETTINGS, {}, now)).toEqual({ from: '2026-03-28', to: '2026-04-12' });
    expect(rosterWindow({ ...SETTINGS, TimeZone: 'UTC' }, {}, now)).toEqual({
      from: '2026-03-27',
      to: '2026-04-11',
    });
  });

  it('takes --from and --to over the settings', () => {
    const now = new Date('2026-03-28T12:00:00Z');
    expect(rosterWindow(SETTINGS, { from: '2026-01-01', to: '2026-01-31' }, now)).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
    });
    expect(rosterWindow(SETTINGS, { from: '2026-03-20' }, now)).toEqual({
      from: '2026-03-20',
      to: '2026-04-11',
    });
  });

  it('refuses dates that are not calendar dates and empty windows', () => {
    expect(() => rosterWindow(SETTINGS, { from: '2026-02-30', to: '2026-03-01' })).toThrow(
      InputError,
    );
    expect(() => rosterWindow(SETTINGS, { from: '28-03-2026' })).toThrow(/--from must be/);
    expect(() => rosterWindow(SETTINGS, { from: '2026-04-02', to: '2026-04-01' })).toThrow(
      /window is empty/,
    );
  });
});
