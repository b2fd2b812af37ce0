import { describe, expect, it } from 'vitest';
import {
  renderTimeline,
  timelinePersonSchema,
  type TimelineContract,
  type TimelinePerson,
} from '../../src/source/timeline.js';

const ZONE = 'Europe/Amsterdam';

/** A contract on 5 March 2026 (CET, +01:00) between two local times, access widened by 1 h/30 m. */
function contract(id: string, start: string, end: string, extra: Partial<TimelineContract> = {}) {
  return {
    ExternalId: id,
    StartDate: `2026-03-05T${start}:00+01:00`,
    EndDate: `2026-03-05T${end}:00+01:00`,
    AccessStartDate: `2026-03-05T${shiftClock(start, -60)}:00+01:00`,
    AccessEndDate: `2026-03-05T${shiftClock(end, 30)}:00+01:00`,
    AllDay: false,
    shift: { uname: `${start}-${end} Dienst`, name: `${start}-${end} Dienst` },
    ...extra,
  };
}

function shiftClock(clock: string, minutes: number): string {
  const [hours, mins] = clock.split(':').map(Number) as [number, number];
  const total = hours * 60 + mins + minutes;
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(Math.floor(total / 60))}:${pad(total % 60)}`;
}

function person(id: string, name: string, contracts: TimelineContract[]): TimelinePerson {
  return {
    ExternalId: id,
    DisplayName: name,
    FirstName: '',
    LastName: '',
    Email: '',
    Contracts: contracts,
  };
}

/** The left and width percentages of one bar, read from its inline style. */
function bar(html: string, contractId: string, kind: 'shift' | 'access') {
  const pattern = new RegExp(
    `data-contract="${contractId}" data-kind="${kind}" style="left:([\\d.]+)%;width:([\\d.]+)%"`,
  );
  const match = pattern.exec(html);
  if (!match) throw new Error(`no ${kind} bar for ${contractId}`);
  return { left: Number(match[1]), width: Number(match[2]) };
}

function count(html: string, needle: string): number {
  return html.split(needle).length - 1;
}

const oneDay = { timeZone: ZONE, from: '2026-03-05', to: '2026-03-05' };
const at = (local: string) => new Date(`2026-03-05T${local}:00+01:00`);

describe('renderTimeline', () => {
  it('places shifts and access windows in proportion to the range', () => {
    const html = renderTimeline([person('p1', 'Sanne', [contract('c1', '06:00', '12:00')])], {
      ...oneDay,
      now: at('18:00'),
    });

    expect(bar(html, 'c1', 'shift')).toEqual({ left: 25, width: 25 });
    const access = bar(html, 'c1', 'access');
    expect(access.left).toBeCloseTo((5 / 24) * 100, 3);
    expect(access.width).toBeCloseTo((7.5 / 24) * 100, 3);
  });

  it('marks the current time with a line and a label in the tenant zone', () => {
    const html = renderTimeline([person('p1', 'Sanne', [])], { ...oneDay, now: at('18:00') });

    expect(html).toMatch(/id="now" class="now-line" data-now="2026-03-05T17:00:00.000Z"/);
    expect(html).toMatch(/class="now-line"[^>]*style="left:75%"/);
    expect(html).toContain('now Thu 5 Mar 18:00');
  });

  it('draws no now line when now lies outside an explicit range', () => {
    const html = renderTimeline([], { ...oneDay, now: new Date('2026-04-01T12:00:00Z') });

    expect(html).not.toContain('id="now"');
    expect(html).not.toContain('class="now-label"');
    expect(html).toContain('now lies outside the range drawn');
  });

  it('escapes names, ids, shift names and the title', () => {
    const name = `<b>Zoë & "Ann" O'Neil</b>`;
    const tricky = contract('c"><img src=x>', '07:00', '15:00', {
      shift: { uname: '<i>07:00</i>', name: '<i>07:00</i> & co' },
    });
    const html = renderTimeline([person('id"<x>', name, [tricky])], {
      ...oneDay,
      now: at('09:00'),
      title: 'Rooster <Zorg> & "Welzijn"',
    });

    expect(html).toContain('&lt;b&gt;Zoë &amp; &quot;Ann&quot; O&#39;Neil&lt;/b&gt;');
    expect(html).toContain('data-person="id&quot;&lt;x&gt;"');
    expect(html).toContain('data-contract="c&quot;&gt;&lt;img src=x&gt;"');
    expect(html).toContain('<title>Rooster &lt;Zorg&gt; &amp; &quot;Welzijn&quot;</title>');
    for (const raw of ['<b>', '<i>', '<img', '"Ann"', 'id"<x>', '<Zorg>']) {
      expect(html).not.toContain(raw);
    }
  });

  it('is self-contained: no scripts and no external resources', () => {
    const html = renderTimeline([person('p1', 'Sanne', [contract('c1', '06:00', '12:00')])], {
      ...oneDay,
      now: at('09:00'),
    });

    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import/i);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('draws codes without times distinctly from timed shifts', () => {
    const allDay = contract('c2', '00:00', '23:59', {
      EndDate: '2026-03-06T00:00:00+01:00',
      AllDay: true,
      shift: { uname: 'VAK', name: 'VAK' },
    });
    const html = renderTimeline(
      [person('p1', 'Sanne', [contract('c1', '06:00', '12:00'), allDay])],
      {
        ...oneDay,
        now: at('09:00'),
      },
    );

    expect(html).toMatch(/class="shift all-day" data-contract="c2"/);
    expect(html).toMatch(/class="shift" data-contract="c1"/);
    expect(bar(html, 'c2', 'shift')).toEqual({ left: 0, width: 100 });
    expect(html).toContain('code without times');
  });

  it('shows one row per person with the name, the id and an access-now dot', () => {
    const persons = [
      person('p1', 'Sanne', [contract('c1', '06:00', '12:00')]),
      person('p2', 'Daan', [contract('c2', '14:00', '22:00')]),
      person('p3', 'Lotte', []),
    ];
    const html = renderTimeline(persons, { ...oneDay, now: at('13:15') });

    expect(count(html, 'data-person="')).toBe(3);
    // 13:15 is inside Daan's access window (from 13:00) but before his shift.
    expect(html).toMatch(/data-person="p2">\s*<div class="label-col"><span class="dot"/);
    expect(html).toMatch(
      /data-person="p1">\s*<div class="label-col"><span class="name" title="Sanne">Sanne/,
    );
    expect(html).toContain('<span class="id">p3</span>');
    expect(html).toContain('no shifts in range');
    expect(html).toContain('0 on shift now');
    expect(html).toContain('1 with access now');
  });

  it('renders a page for zero persons', () => {
    const html = renderTimeline([], { timeZone: ZONE, now: at('13:20') });

    expect(html).toContain('No persons in this read.');
    expect(html).toContain('0 persons');
    expect(count(html, 'data-person="')).toBe(0);
    // Without data, the range is the local day of now.
    expect(html).toContain('Thu 5 Mar 2026 00:00 – Fri 6 Mar 2026 00:00');
    expect(html).toMatch(/class="now-line"[^>]*style="left:55\.5556%"/);
  });

  it('caps the rows and says how many persons are not shown', () => {
    const persons = Array.from({ length: 350 }, (_, index) =>
      person(`p${index}`, `Person ${index}`, [contract(`c${index}`, '06:00', '12:00')]),
    );
    const html = renderTimeline(persons, { ...oneDay, now: at('09:00') });

    expect(count(html, 'data-person="')).toBe(300);
    expect(html).toContain('data-person="p299"');
    expect(html).not.toContain('data-person="p300"');
    expect(html).toContain('Showing the first 300 of 350 persons.');
    expect(html).toContain('350 persons');

    const small = renderTimeline(persons, { ...oneDay, now: at('09:00'), maxRows: 10 });
    expect(count(small, 'data-person="')).toBe(10);
    expect(small).toContain('Showing the first 10 of 350 persons.');
  });

  it('derives the range from the data in whole quarter days when none is given', () => {
    const html = renderTimeline([person('p1', 'Sanne', [contract('c1', '07:00', '15:30')])], {
      timeZone: ZONE,
      now: at('10:00'),
    });

    // Access 06:00-16:00 and now 10:00 give 06:00-18:00.
    expect(html).toContain('Thu 5 Mar 2026 06:00 – Thu 5 Mar 2026 18:00');
    expect(bar(html, 'c1', 'access')).toEqual({ left: 0, width: expect.closeTo(83.3333, 3) });
  });

  it('puts day lines on local midnights across a daylight saving change', () => {
    // Clocks go back on Sunday 25 October 2026: that day has 25 hours, the range 49.
    const night = {
      ExternalId: 'n1',
      StartDate: '2026-10-24T23:00:00+02:00',
      EndDate: '2026-10-25T07:00:00+01:00',
      AccessStartDate: '2026-10-24T22:00:00+02:00',
      AccessEndDate: '2026-10-25T07:30:00+01:00',
      AllDay: false,
    };
    const html = renderTimeline([person('p1', 'Sanne', [night])], {
      timeZone: ZONE,
      from: '2026-10-24',
      to: '2026-10-25',
      now: new Date('2026-10-25T12:00:00+01:00'),
    });

    const lines = [...html.matchAll(/class="day-line" style="left:([\d.]+)%"/g)].map((m) =>
      Number(m[1]),
    );
    expect(lines).toEqual([0, expect.closeTo((24 / 49) * 100, 3)]);
    // 23:00 CEST to 07:00 CET is nine hours.
    expect(bar(html, 'n1', 'shift').width).toBeCloseTo((9 / 49) * 100, 3);
    expect(html).toContain('Sat 24 Oct 23:00 – Sun 25 Oct 07:00 (9 h)');
  });

  it('reads instants in any offset and shows them in the tenant zone', () => {
    const utc = contract('c1', '06:00', '12:00', {
      StartDate: '2026-03-05T06:00:00Z',
      EndDate: '2026-03-05T11:00:00.000Z',
    });
    const html = renderTimeline([person('p1', 'Sanne', [utc])], { ...oneDay, now: at('09:00') });

    expect(html).toContain('shift Thu 5 Mar 07:00 – 12:00 (5 h)');
    expect(bar(html, 'c1', 'shift')).toEqual({
      left: expect.closeTo((7 / 24) * 100, 3),
      width: expect.closeTo((5 / 24) * 100, 3),
    });
  });

  it('clips bars at the range edges and leaves out those outside it', () => {
    const early = contract('early', '00:00', '06:00', {
      StartDate: '2026-03-04T22:00:00+01:00',
      AccessStartDate: '2026-03-04T21:00:00+01:00',
    });
    const outside = contract('outside', '06:00', '12:00', {
      StartDate: '2026-03-07T06:00:00+01:00',
      EndDate: '2026-03-07T12:00:00+01:00',
      AccessStartDate: '2026-03-07T05:00:00+01:00',
      AccessEndDate: '2026-03-07T12:30:00+01:00',
    });
    const html = renderTimeline([person('p1', 'Sanne', [early, outside])], {
      ...oneDay,
      now: at('09:00'),
    });

    expect(bar(html, 'early', 'shift')).toEqual({ left: 0, width: 25 });
    expect(html).not.toContain('data-contract="outside"');
  });

  it('counts contracts whose times cannot be read instead of drawing them', () => {
    const broken = contract('bad', '06:00', '12:00', { StartDate: 'not a date' });
    const reversed = contract('rev', '12:00', '06:00');
    const html = renderTimeline([person('p1', 'Sanne', [broken, reversed])], {
      ...oneDay,
      now: at('09:00'),
    });

    expect(html).toContain('2 contracts without readable start and end times are not drawn.');
    expect(html).not.toContain('data-contract="bad"');
  });

  it('rejects a from or to that is neither a date nor an instant', () => {
    expect(() => renderTimeline([], { timeZone: ZONE, now: at('09:00'), from: 'monday' })).toThrow(
      /not a date/,
    );
  });

  it('accepts the persons source writes, extra fields included', () => {
    const raw = {
      ExternalId: 'u1',
      DisplayName: 'Sanne',
      FirstName: 'Sanne',
      LastName: 'de Vries',
      Email: 'sanne@example.test',
      PhoneNumber: '0612345678',
      Contracts: [
        {
          ...contract('c1', '06:00', '12:00'),
          group: { uname: 'G1', name: 'Zorg', externalId: 'Z1' },
          rosterDate: '2026-03-05',
          labourHist: 12,
        },
      ],
    };
    const parsed = timelinePersonSchema.parse(raw);
    expect(parsed).toEqual(raw);

    const html = renderTimeline([parsed], { ...oneDay, now: at('09:00') });
    expect(html).toContain('06:00-12:00 Dienst · Zorg');
  });
});
