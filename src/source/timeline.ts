/**
 * The access timeline: one self-contained HTML page (inline CSS, no scripts, no external
 * resources) that draws, per person, each shift and its access window on a time axis in the
 * tenant's zone, with the current time marked. A pure function of the persons and the options.
 */
import { DateTime } from 'luxon';
import * as z from 'zod';

const namedSchema = z.looseObject({
  uname: z.string().nullish(),
  name: z.string().nullish(),
});

/** A contract as `source persons` writes it; unknown fields pass through. */
export const timelineContractSchema = z.looseObject({
  ExternalId: z.string().nullish(),
  StartDate: z.string(),
  EndDate: z.string(),
  AccessStartDate: z.string().nullish(),
  AccessEndDate: z.string().nullish(),
  AllDay: z.boolean().nullish(),
  shift: namedSchema.nullish(),
  group: namedSchema.nullish(),
  rosterDate: z.string().nullish(),
});

/** A person as `source persons` writes it; unknown fields pass through. */
export const timelinePersonSchema = z.looseObject({
  ExternalId: z.string(),
  DisplayName: z.string().nullish(),
  FirstName: z.string().nullish(),
  LastName: z.string().nullish(),
  Email: z.string().nullish(),
  Contracts: z.array(timelineContractSchema).nullish(),
});

export type TimelineContract = z.infer<typeof timelineContractSchema>;
export type TimelinePerson = z.infer<typeof timelinePersonSchema>;

export interface TimelineOptions {
  /** The instant marked as "now". */
  now: Date;
  /** The tenant's IANA zone; day ticks and labels follow its local midnights. */
  timeZone: string;
  /** First day shown (yyyy-MM-dd, or an ISO instant); derived from the data when absent. */
  from?: string;
  /** Last day shown, inclusive (yyyy-MM-dd, or an ISO instant); derived when absent. */
  to?: string;
  title?: string;
  /** Persons drawn at most; the rest are counted in a note. Defaults to 300. */
  maxRows?: number;
}

const DEFAULT_MAX_ROWS = 300;
const HOUR = 3_600_000;
/** The track width the layout is designed for, used only to decide whether a label fits. */
const NOMINAL_TRACK_PX = 1100;
/** A shift bar narrower than this (at the nominal width) carries no text. */
const MIN_LABEL_PX = 48;
const LOCALE = 'en-GB';
/** Axis labels start at most this far (percent) along the track. */
const LAST_LABEL_AT = 93;

/** An interval in epoch milliseconds. */
interface Span {
  start: number;
  end: number;
}

/** One contract with its times read, ready to draw. */
interface Bar {
  id: string;
  label: string;
  group: string;
  shift: Span;
  access: Span;
  allDay: boolean;
}

interface Row {
  id: string;
  name: string;
  bars: Bar[];
  unreadable: number;
}

interface Scale {
  range: Span;
  zone: string;
  clock: Clock;
  /** Position of an instant as a percentage of the range, clamped to [0, 100]. */
  at(instant: number): number;
}

/** Renders the access timeline of `persons` as one self-contained HTML document. */
export function renderTimeline(persons: TimelinePerson[], options: TimelineOptions): string {
  const zone = options.timeZone;
  const now = options.now.getTime();
  const rows = persons.map((person) => readRow(person, zone));
  const scale = makeScale(chooseRange(rows, options, now), zone);

  const maxRows = Math.max(1, options.maxRows ?? DEFAULT_MAX_ROWS);
  const shown = rows.slice(0, maxRows);
  const title = options.title ?? 'InPlanning access timeline';

  const body = [
    renderHeader(title, rows, scale, now),
    renderLegend(),
    renderChart(shown, scale, now),
    renderNotes(rows, shown.length),
  ].join('\n');
  return page(title, body);
}

// ---- reading the persons -------------------------------------------------------------------

function readRow(person: TimelinePerson, zone: string): Row {
  const bars: Bar[] = [];
  let unreadable = 0;
  for (const contract of person.Contracts ?? []) {
    const bar = readBar(contract, zone);
    if (bar) bars.push(bar);
    else unreadable += 1;
  }
  bars.sort((a, b) => a.access.start - b.access.start);
  return { id: person.ExternalId, name: displayName(person), bars, unreadable };
}

function displayName(person: TimelinePerson): string {
  const joined = [person.FirstName, person.LastName].filter(Boolean).join(' ');
  return person.DisplayName?.trim() || joined || person.ExternalId;
}

function readBar(contract: TimelineContract, zone: string): Bar | undefined {
  const shift = readSpan(contract.StartDate, contract.EndDate, zone);
  if (!shift) return undefined;
  const access =
    readSpan(contract.AccessStartDate ?? '', contract.AccessEndDate ?? '', zone) ?? shift;
  return {
    id: contract.ExternalId ?? '',
    label: contract.shift?.name || contract.shift?.uname || '',
    group: contract.group?.name || contract.group?.uname || '',
    shift,
    access: { start: Math.min(access.start, shift.start), end: Math.max(access.end, shift.end) },
    allDay: contract.AllDay === true,
  };
}

function readSpan(startText: string, endText: string, zone: string): Span | undefined {
  const start = readInstant(startText, zone);
  const end = readInstant(endText, zone);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) return undefined;
  return { start, end };
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 instant in epoch milliseconds; without an offset it is read in `zone`. */
function readInstant(text: string, zone: string): number {
  // The common shape is parsed natively: luxon is much slower, and a read has thousands.
  if (ISO_WITH_OFFSET.test(text)) return Date.parse(text);
  const parsed = DateTime.fromISO(text, { zone });
  return parsed.isValid ? parsed.toMillis() : NaN;
}

// ---- the time range and its scale ----------------------------------------------------------

/** The range drawn: explicit bounds as given, otherwise data and now, in whole quarter days. */
function chooseRange(rows: Row[], options: TimelineOptions, now: number): Span {
  const zone = options.timeZone;
  const bars = rows.flatMap((row) => row.bars);
  // Without data, the day of now is drawn.
  const today = localDay(now, zone);
  const dataStart = bars.reduce(
    (low, bar) => Math.min(low, bar.access.start),
    bars.length > 0 ? now : today.toMillis(),
  );
  const dataEnd = bars.reduce(
    (high, bar) => Math.max(high, bar.access.end),
    bars.length > 0 ? now : today.plus({ days: 1 }).toMillis(),
  );

  const start = options.from
    ? boundary(options.from, zone, false)
    : quarterDayFloor(dataStart, zone);
  const end = options.to ? boundary(options.to, zone, true) : quarterDayCeil(dataEnd, zone);
  if (end > start) return { start, end };
  return { start, end: localDay(start, zone).plus({ days: 1 }).toMillis() };
}

/** A yyyy-MM-dd bound is a local day (its end when `inclusiveEnd`); anything else an instant. */
function boundary(text: string, zone: string, inclusiveEnd: boolean): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const day = DateTime.fromISO(text, { zone }).startOf('day');
    if (day.isValid) return (inclusiveEnd ? day.plus({ days: 1 }) : day).toMillis();
  }
  const instant = DateTime.fromISO(text, { zone });
  if (!instant.isValid) throw new RangeError(`"${text}" is not a date or an ISO 8601 instant.`);
  return instant.toMillis();
}

function localDay(instant: number, zone: string): DateTime {
  return DateTime.fromMillis(instant, { zone }).startOf('day');
}

/** The local 00:00, 06:00, 12:00 or 18:00 at or before an instant. */
function quarterDayFloor(instant: number, zone: string): number {
  const local = DateTime.fromMillis(instant, { zone });
  return local
    .startOf('hour')
    .set({ hour: local.hour - (local.hour % 6) })
    .toMillis();
}

/** The local 00:00, 06:00, 12:00 or 18:00 at or after an instant. */
function quarterDayCeil(instant: number, zone: string): number {
  const floor = quarterDayFloor(instant, zone);
  return floor === instant
    ? instant
    : DateTime.fromMillis(floor, { zone }).plus({ hours: 6 }).toMillis();
}

function makeScale(range: Span, zone: string): Scale {
  const length = range.end - range.start;
  return {
    range,
    zone,
    clock: makeClock(zone),
    at: (instant) => clamp(((instant - range.start) / length) * 100, 0, 100),
  };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** Where the axis puts its lines and labels. */
interface Ticks {
  /** Local midnights, every `step` days, so that at most ~24 are labelled. */
  days: DateTime[];
  step: number;
  /** Local 06:00, 12:00 and 18:00, only when the range is a week or shorter. */
  hours: DateTime[];
  /** Whether the hours get labels too (three days or shorter). */
  hourLabels: boolean;
}

function axisTicks(scale: Scale): Ticks {
  const all: DateTime[] = [];
  let day = localDay(scale.range.start, scale.zone);
  if (day.toMillis() < scale.range.start) day = day.plus({ days: 1 });
  while (day.toMillis() < scale.range.end && all.length < 5000) {
    all.push(day);
    day = day.plus({ days: 1 });
  }
  const span = (scale.range.end - scale.range.start) / (24 * HOUR);
  const step = [1, 2, 7, 14, 28, 91, 182, 364].find((n) => all.length / n <= 24) ?? 364;
  return {
    days: all.filter((_, index) => index % step === 0),
    step,
    hours: span <= 7 ? hourTicks(scale) : [],
    hourLabels: span <= 3,
  };
}

function hourTicks(scale: Scale): DateTime[] {
  const ticks: DateTime[] = [];
  let day = localDay(scale.range.start, scale.zone);
  while (day.toMillis() < scale.range.end) {
    for (const hour of [6, 12, 18]) {
      const tick = day.set({ hour });
      if (tick.toMillis() > scale.range.start && tick.toMillis() < scale.range.end)
        ticks.push(tick);
    }
    day = day.plus({ days: 1 });
  }
  return ticks;
}

// ---- rendering -----------------------------------------------------------------------------

function renderHeader(title: string, rows: Row[], scale: Scale, now: number): string {
  const bars = rows.flatMap((row) => row.bars);
  const onShift = rows.filter((row) => row.bars.some((bar) => contains(bar.shift, now))).length;
  const withAccess = rows.filter((row) => row.bars.some((bar) => contains(bar.access, now)));
  const from = formatDateTime(scale.range.start, scale.clock);
  const range = `${from} – ${formatDateTime(scale.range.end, scale.clock)}`;
  const facts = [
    `${rows.length} ${plural(rows.length, 'person', 'persons')}`,
    `${bars.length} ${plural(bars.length, 'shift', 'shifts')}`,
    `${onShift} on shift now`,
    `${withAccess.length} with access now`,
  ];
  if (!inRange(scale, now)) facts.push('now lies outside the range drawn');
  return `<header>
<h1>${escapeHtml(title)}</h1>
<p class="range">${escapeHtml(range)} <span class="zone">${escapeHtml(scale.zone)}</span>
· generated ${escapeHtml(formatDateTime(now, scale.clock))}</p>
<p class="facts">${facts.map((fact) => `<span>${escapeHtml(fact)}</span>`).join('')}</p>
</header>`;
}

function renderLegend(): string {
  const items = [
    ['swatch swatch-shift', 'shift'],
    ['swatch swatch-access', 'access window (shift widened by lead and lag)'],
    ['swatch swatch-all-day', 'code without times (whole roster day)'],
    ['swatch swatch-now', 'now'],
    ['dot', 'has access now'],
  ];
  const entries = items.map(
    ([css, text]) => `<span class="item"><span class="${css}"></span>${escapeHtml(text!)}</span>`,
  );
  return `<div class="legend">${entries.join('')}</div>`;
}

function renderChart(rows: Row[], scale: Scale, now: number): string {
  const ticks = axisTicks(scale);
  const body =
    rows.length === 0
      ? '<div class="empty">No persons in this read.</div>'
      : rows.map((row, index) => renderRow(row, index, scale, now)).join('\n');
  return `<main class="chart">
${renderAxis(ticks, scale, now)}
<div class="rows">
${renderGrid(ticks, scale, now)}
${body}
</div>
</main>`;
}

function renderAxis(ticks: Ticks, scale: Scale, now: number): string {
  const format = ticks.step >= 7 ? 'd LLL' : 'ccc d LLL';
  const days = ticks.days.map((day) =>
    axisLabel(`day${isWeekend(day) ? ' weekend' : ''}`, scale.at(day.toMillis()), day, format),
  );
  const hours = ticks.hourLabels
    ? ticks.hours.map((hour) => axisLabel('hour', scale.at(hour.toMillis()), hour, 'HH:mm'))
    : [];
  const labels = [...days, ...hours, inRange(scale, now) ? nowLabel(scale, now) : ''];
  return `<div class="axis"><div class="label-col">Person</div>\
<div class="track">${labels.join('')}</div></div>`;
}

/** A label at `at` percent; none so close to the right end that it would be cut off. */
function axisLabel(css: string, at: number, time: DateTime, format: string): string {
  if (at > LAST_LABEL_AT) return '';
  const text = escapeHtml(time.setLocale(LOCALE).toFormat(format));
  return `<span class="${css}" style="left:${pct(at)}">${text}</span>`;
}

/** The now label is centred on its line, or kept inside the track near either end. */
function nowLabel(scale: Scale, now: number): string {
  const at = scale.at(now);
  const shift = at < 8 ? '0' : at > 92 ? '-100%' : '-50%';
  const text = escapeHtml(`now ${formatTime(now, scale.clock)}`);
  return `<span class="now-label" style="left:${pct(at)};transform:translateX(${shift})">\
${text}</span>`;
}

/** Day lines, weekend shading, faint hour lines and the now line, over all rows. */
function renderGrid(ticks: Ticks, scale: Scale, now: number): string {
  const parts: string[] = [];
  for (const day of ticks.days) {
    const start = day.toMillis();
    if (isWeekend(day) && ticks.step === 1) {
      const end = day.plus({ days: 1 }).toMillis();
      parts.push(`<div class="weekend-band" style="${position(scale, { start, end })}"></div>`);
    }
    parts.push(`<div class="day-line" style="left:${pct(scale.at(start))}"></div>`);
  }
  for (const hour of ticks.hours) {
    parts.push(`<div class="hour-line" style="left:${pct(scale.at(hour.toMillis()))}"></div>`);
  }
  if (inRange(scale, now)) {
    const at = new Date(now).toISOString();
    const left = pct(scale.at(now));
    parts.push(`<div id="now" class="now-line" data-now="${at}" style="left:${left}"></div>`);
  }
  return `<div class="grid">${parts.join('')}</div>`;
}

function renderRow(row: Row, index: number, scale: Scale, now: number): string {
  const active = row.bars.some((bar) => contains(bar.access, now));
  const visible = row.bars.filter((bar) => overlaps(bar.access, scale.range));
  const bars = visible.map((bar) => renderBar(row, bar, scale)).join('');
  const empty = visible.length === 0 ? '<span class="no-shifts">no shifts in range</span>' : '';
  const dot = active ? '<span class="dot" title="has access now"></span>' : '';
  const name = escapeHtml(row.name);
  return `<div class="row${index % 2 === 1 ? ' odd' : ''}" data-person="${escapeHtml(row.id)}">
<div class="label-col">${dot}<span class="name" title="${name}">${name}</span>\
<span class="id">${escapeHtml(row.id)}</span></div>
<div class="track">${bars}${empty}</div>
</div>`;
}

function renderBar(row: Row, bar: Bar, scale: Scale): string {
  const kind = bar.allDay ? ' all-day' : '';
  const tip = escapeHtml(tooltip(row, bar, scale.clock));
  const id = escapeHtml(bar.id);
  const widthPx = ((scale.at(bar.shift.end) - scale.at(bar.shift.start)) / 100) * NOMINAL_TRACK_PX;
  const fits = widthPx >= MIN_LABEL_PX;
  const text = fits && bar.label ? `<span>${escapeHtml(bar.label)}</span>` : '';
  return (
    `<div class="access${kind}" data-contract="${id}" data-kind="access" ` +
    `style="${position(scale, bar.access)}" title="${tip}"></div>` +
    `<div class="shift${kind}" data-contract="${id}" data-kind="shift" ` +
    `style="${position(scale, bar.shift)}" title="${tip}">${text}</div>`
  );
}

function tooltip(row: Row, bar: Bar, clock: Clock): string {
  const lines = [
    row.name,
    [bar.label, bar.group].filter(Boolean).join(' · '),
    `shift ${formatSpan(bar.shift, clock)}${bar.allDay ? ' (whole day)' : ''}`,
    `access ${formatSpan(bar.access, clock)}`,
  ];
  return lines.filter(Boolean).join('\n');
}

function renderNotes(rows: Row[], shown: number): string {
  const notes: string[] = [];
  if (shown < rows.length) {
    notes.push(`Showing the first ${shown} of ${rows.length} persons.`);
  }
  const unreadable = rows.reduce((sum, row) => sum + row.unreadable, 0);
  if (unreadable > 0) {
    notes.push(`${unreadable} ${plural(unreadable, 'contract', 'contracts')} without readable \
start and end times ${plural(unreadable, 'is', 'are')} not drawn.`);
  }
  if (notes.length === 0) return '';
  const paragraphs = notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`);
  return `<footer>${paragraphs.join('')}</footer>`;
}

// ---- wall-clock time in the tenant's zone ---------------------------------------------------

interface LocalTime {
  year: number;
  month: string;
  day: number;
  weekday: string;
  hhmm: string;
  /** yyyy-MM-dd, to compare days. */
  date: string;
}

type Clock = (instant: number) => LocalTime;

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const OFFSET_BUCKET = 15 * 60_000;

/**
 * The wall-clock reading of instants in `zone`. The zone's offset is looked up once per quarter
 * hour (every real zone changes offset on a quarter hour), because Intl lookups are slow.
 */
function makeClock(zone: string): Clock {
  const offsets = new Map<number, number>();
  return (instant) => {
    const bucket = Math.floor(instant / OFFSET_BUCKET);
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      offset = DateTime.fromMillis(bucket * OFFSET_BUCKET, { zone }).offset * 60_000;
      offsets.set(bucket, offset);
    }
    return readWall(new Date(instant + offset));
  };
}

/** Reads a Date whose UTC fields hold the wall-clock time. */
function readWall(wall: Date): LocalTime {
  const two = (value: number) => String(value).padStart(2, '0');
  const year = wall.getUTCFullYear();
  const month = wall.getUTCMonth();
  const day = wall.getUTCDate();
  return {
    year,
    month: MONTHS[month]!,
    day,
    weekday: WEEKDAYS[wall.getUTCDay()]!,
    hhmm: `${two(wall.getUTCHours())}:${two(wall.getUTCMinutes())}`,
    date: `${year}-${two(month + 1)}-${two(day)}`,
  };
}

// ---- small helpers -------------------------------------------------------------------------

function position(scale: Scale, span: Span): string {
  const left = scale.at(span.start);
  const width = Math.max(scale.at(span.end) - left, 0.05);
  return `left:${pct(left)};width:${pct(width)}`;
}

function pct(value: number): string {
  return `${Number(value.toFixed(4))}%`;
}

function contains(span: Span, instant: number): boolean {
  return span.start <= instant && instant < span.end;
}

function overlaps(span: Span, range: Span): boolean {
  return span.end > range.start && span.start < range.end;
}

function inRange(scale: Scale, instant: number): boolean {
  return instant >= scale.range.start && instant <= scale.range.end;
}

function isWeekend(day: DateTime): boolean {
  return day.weekday >= 6;
}

function formatDateTime(instant: number, clock: Clock): string {
  const time = clock(instant);
  return `${time.weekday} ${time.day} ${time.month} ${time.year} ${time.hhmm}`;
}

function formatTime(instant: number, clock: Clock): string {
  const time = clock(instant);
  return `${time.weekday} ${time.day} ${time.month} ${time.hhmm}`;
}

function formatSpan(span: Span, clock: Clock): string {
  const start = clock(span.start);
  const end = clock(span.end);
  const endText = start.date === end.date ? end.hhmm : formatTime(span.end, clock);
  const hours = Number(((span.end - span.start) / HOUR).toFixed(2));
  return `${formatTime(span.start, clock)} – ${endText} (${hours} h)`;
}

function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

const STYLE = `
:root { --label: 250px; --row: 32px; --shift: #2563eb; --access: #bfdbfe; --allday: #d97706;
  --allday-access: #fde68a; --now: #dc2626; --line: #e5e7eb; --text: #111827; --muted: #6b7280; }
* { box-sizing: border-box; }
body { margin: 0; padding: 20px 24px; font: 13px/1.4 system-ui, "DejaVu Sans", Arial, sans-serif;
  color: var(--text); background: #fff; }
header h1 { margin: 0 0 4px; font-size: 20px; }
header p { margin: 0 0 4px; color: var(--muted); }
.zone { font-weight: 600; color: var(--text); }
.facts span { display: inline-block; margin-right: 16px; color: var(--text); }
.facts span:first-child { font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; gap: 18px; margin: 10px 0 12px; color: var(--muted); }
.legend .item { display: inline-flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 26px; height: 12px; border-radius: 3px; }
.swatch-shift { background: var(--shift); }
.swatch-access { background: var(--access); }
.swatch-all-day { background: repeating-linear-gradient(135deg, var(--allday) 0 4px,
  #f59e0b 4px 8px); }
.swatch-now { width: 3px; height: 16px; background: var(--now); border-radius: 0; }
.chart { min-width: 900px; border: 1px solid var(--line); border-radius: 6px; }
.axis { position: sticky; top: 0; z-index: 5; display: flex; height: 46px; background: #f9fafb;
  border-bottom: 1px solid #d1d5db; border-radius: 6px 6px 0 0; }
.axis .label-col { font-weight: 600; color: var(--muted); line-height: 46px; }
.label-col { flex: 0 0 var(--label); padding: 0 10px; overflow: hidden; white-space: nowrap;
  text-overflow: ellipsis; }
.track { position: relative; flex: 1 1 auto; }
.axis .day { position: absolute; top: 0; padding: 5px 0 0 5px; border-left: 1px solid #d1d5db;
  height: 100%; white-space: nowrap; font-size: 12px; color: #374151; }
.axis .day.weekend { color: var(--muted); }
.axis .hour { position: absolute; top: 0; padding: 5px 0 0 4px; border-left: 1px solid #e5e7eb;
  height: 22px; font-size: 11px; color: #9ca3af; }
.axis .track { overflow: hidden; }
.now-label { position: absolute; bottom: 3px; z-index: 6;
  background: var(--now); color: #fff; font-size: 11px; font-weight: 600; padding: 1px 6px;
  border-radius: 3px; white-space: nowrap; }
.rows { position: relative; }
.grid { position: absolute; top: 0; bottom: 0; left: var(--label); right: 0;
  pointer-events: none; }
.weekend-band { position: absolute; top: 0; bottom: 0; background: rgba(107, 114, 128, 0.07); }
.day-line { position: absolute; top: 0; bottom: 0; width: 1px; background: #d1d5db; }
.hour-line { position: absolute; top: 0; bottom: 0; width: 1px; background: #f1f2f4; }
.now-line { position: absolute; top: 0; bottom: 0; width: 2px; margin-left: -1px; z-index: 4;
  background: var(--now); }
.row { display: flex; height: var(--row); border-bottom: 1px solid #f3f4f6; }
.row.odd { background: rgba(249, 250, 251, 0.7); }
.row .label-col { display: flex; align-items: baseline; gap: 8px; line-height: var(--row); }
.row .name { overflow: hidden; text-overflow: ellipsis; }
.row .id { flex: none; color: var(--muted); font-size: 11px; }
.dot { flex: none; align-self: center; width: 8px; height: 8px; border-radius: 50%;
  background: #16a34a; }
.access, .shift { position: absolute; border-radius: 4px; }
.access { top: 5px; height: 22px; background: var(--access); z-index: 1; }
.shift { top: 9px; height: 14px; background: var(--shift); z-index: 2; overflow: hidden;
  color: #fff; font-size: 10px; line-height: 14px; white-space: nowrap; }
.shift span { padding: 0 4px; }
.access.all-day { background: var(--allday-access); }
.shift.all-day { background: repeating-linear-gradient(135deg, var(--allday) 0 4px, #f59e0b 4px
  8px); color: #111827; }
.access:hover, .shift:hover { outline: 2px solid #1e3a8a; z-index: 3; }
.no-shifts { position: absolute; left: 8px; line-height: var(--row); color: #9ca3af;
  font-style: italic; }
.empty { padding: 24px; color: var(--muted); text-align: center; }
footer { margin-top: 10px; }
.note { margin: 0 0 4px; color: #92400e; }
`;
