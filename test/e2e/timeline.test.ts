/**
 * The access timeline in a real browser: headless Chromium, no network, renders the page to a
 * screenshot whose pixels are checked, and dumps the DOM it built.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTimeline, type TimelinePerson } from '../../src/source/timeline.js';
import { decodePng, type Image, isColour, pngSize } from './timeline-png.js';

const CHROMIUM = '/usr/bin/chromium';
const WIDTH = 1400;
const HEIGHT = 900;
const SHIFT = '#2563eb';
const NOW = '#dc2626';
const ALL_DAY = ['#d97706', '#f59e0b'];

const run = promisify(execFile);

function contract(id: string, start: string, end: string, allDay = false) {
  const local = (time: string) =>
    time === '24:00' ? '2026-03-06T00:00:00+01:00' : `2026-03-05T${time}:00+01:00`;
  return {
    ExternalId: id,
    StartDate: local(start),
    EndDate: local(end),
    AccessStartDate: local(start),
    AccessEndDate: local(end),
    AllDay: allDay,
    shift: { uname: allDay ? 'VAK' : `${start}-${end}`, name: allDay ? 'VAK' : `${start}-${end}` },
  };
}

function person(id: string, name: string, contracts: ReturnType<typeof contract>[]) {
  return { ExternalId: id, DisplayName: name, Contracts: contracts } satisfies TimelinePerson;
}

/** Six persons on one day; now is noon, the middle of the range. */
const PERSONS = [
  person('p1', 'Morning Half', [contract('c1', '00:00', '12:00')]),
  person('p2', 'Afternoon Half', [contract('c2', '12:00', '24:00')]),
  person('p3', 'Centred Day', [contract('c3', '06:00', '18:00')]),
  person('p4', 'Whole Day Code', [contract('c4', '00:00', '24:00', true)]),
  person('p5', 'Zoë <img src=x onerror=alert(1)> & Co', [contract('c5', '08:00', '10:00')]),
  person('p6', 'Without Shifts', []),
];

function chromiumArgs(profile: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    `--window-size=${WIDTH},${HEIGHT}`,
  ];
}

const inCi = Boolean(process.env.CI);

describe.skipIf(!existsSync(CHROMIUM) && !inCi)('access timeline in headless Chromium', () => {
  let dir: string;
  let page: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'timeline-e2e-'));
    page = path.join(dir, 'timeline.html');
    const html = renderTimeline(PERSONS, {
      now: new Date('2026-03-05T12:00:00+01:00'),
      timeZone: 'Europe/Amsterdam',
      from: '2026-03-05',
      to: '2026-03-05',
      title: 'Screenshot check',
    });
    await writeFile(page, html, 'utf8');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('renders a readable screenshot with bars where the times put them', async () => {
    const shot = path.join(dir, 'timeline.png');
    const profile = await mkdtemp(path.join(dir, 'profile-'));
    await run(CHROMIUM, [...chromiumArgs(profile), `--screenshot=${shot}`, `file://${page}`], {
      timeout: 60_000,
    });

    const png = await readFile(shot);
    expect(pngSize(png)).toEqual({ width: WIDTH, height: HEIGHT });
    expect((await stat(shot)).size).toBeGreaterThan(15_000);

    const image = decodePng(png);
    const nowX = nowLineColumn(image);
    const rows = rowsBand(image, nowX);
    expect(rows.bottom - rows.top).toBeGreaterThan(PERSONS.length * 30);

    // One band of shift colour per person with a timed shift: p1, p2, p3 and p5.
    const bands = shiftBands(image, rows);
    expect(bands).toHaveLength(4);
    const [morning, afternoon, centred, short] = bands.map((band) => extent(image, band));
    const half = afternoon!.right - afternoon!.left;
    expect(half).toBeGreaterThan(400);

    expect(Math.abs(morning!.right - nowX)).toBeLessThanOrEqual(3);
    expect(Math.abs(afternoon!.left - nowX)).toBeLessThanOrEqual(3);
    expect(Math.abs(morning!.right - morning!.left - half)).toBeLessThanOrEqual(4);
    expect(Math.abs((centred!.left + centred!.right) / 2 - nowX)).toBeLessThanOrEqual(3);
    expect(Math.abs(centred!.right - centred!.left - half)).toBeLessThanOrEqual(4);
    // 08:00-10:00 is a sixth of a half day, starting a third of the way.
    expect(short!.right - short!.left).toBeCloseTo(half / 6, -1);
    expect(short!.left - morning!.left).toBeCloseTo((half * 2) / 3, -1);

    expect(countColour(image, rows, ALL_DAY)).toBeGreaterThan(1000);
  }, 90_000);

  it('builds one row per person and the now marker, with names kept as text', async () => {
    const profile = await mkdtemp(path.join(dir, 'profile-'));
    const { stdout } = await run(
      CHROMIUM,
      [...chromiumArgs(profile), '--dump-dom', `file://${page}`],
      {
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );

    expect(stdout.match(/data-person="/g)).toHaveLength(PERSONS.length);
    for (const { ExternalId } of PERSONS) expect(stdout).toContain(`data-person="${ExternalId}"`);
    expect(stdout).toMatch(/id="now"[^>]*data-now="2026-03-05T11:00:00.000Z"/);
    expect(stdout).toContain('now Thu 5 Mar 12:00');
    expect(stdout).toContain('Zoë &lt;img src=x onerror=alert(1)&gt; &amp; Co');
    expect(stdout).not.toMatch(/<img/i);
  }, 90_000);
});

/** The x of the column with the most now-line pixels. */
function nowLineColumn(image: Image): number {
  let best = -1;
  let bestCount = 0;
  for (let x = 0; x < image.width; x += 1) {
    let count = 0;
    for (let y = 0; y < image.height; y += 1) if (isColour(image, x, y, NOW)) count += 1;
    if (count > bestCount) [best, bestCount] = [x, count];
  }
  expect(bestCount).toBeGreaterThan(150);
  return best;
}

interface Band {
  top: number;
  bottom: number;
}

/** The rows area: the longest unbroken run of the now line. */
function rowsBand(image: Image, nowX: number): Band {
  let best: Band = { top: 0, bottom: 0 };
  let top = -1;
  for (let y = 0; y <= image.height; y += 1) {
    const red = y < image.height && isColour(image, nowX, y, NOW);
    if (red && top < 0) top = y;
    if (!red && top >= 0) {
      if (y - top > best.bottom - best.top) best = { top, bottom: y };
      top = -1;
    }
  }
  return best;
}

/** Runs of consecutive pixel rows that contain shift colour. */
function shiftBands(image: Image, rows: Band): Band[] {
  const bands: Band[] = [];
  let open: Band | undefined;
  for (let y = rows.top; y < rows.bottom; y += 1) {
    let found = false;
    for (let x = 0; x < image.width && !found; x += 1) found = isColour(image, x, y, SHIFT, 6);
    if (found && !open) open = { top: y, bottom: y + 1 };
    else if (found && open) open.bottom = y + 1;
    else if (!found && open) {
      bands.push(open);
      open = undefined;
    }
  }
  if (open) bands.push(open);
  return bands;
}

/** The leftmost and rightmost shift pixel on the middle line of a band. */
function extent(image: Image, band: Band): { left: number; right: number } {
  const y = Math.floor((band.top + band.bottom) / 2);
  let left = image.width;
  let right = -1;
  for (let x = 0; x < image.width; x += 1) {
    if (!isColour(image, x, y, SHIFT, 6)) continue;
    left = Math.min(left, x);
    right = Math.max(right, x);
  }
  return { left, right };
}

function countColour(image: Image, rows: Band, colours: string[]): number {
  let count = 0;
  for (let y = rows.top; y < rows.bottom; y += 1) {
    for (let x = 0; x < image.width; x += 1) {
      if (colours.some((colour) => isColour(image, x, y, colour))) count += 1;
    }
  }
  return count;
}
