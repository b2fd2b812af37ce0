/**
 * The roster book: every wanted person's roster days inside the window, merged from however many
 * rosters mention them. A person planned in several groups appears in several group rosters, and
 * each copy may hold all of their parts or only that group's, so copies are merged as a union.
 * Parts are kept reduced (see partDescriber), so a roster is garbage once it is filed.
 */
import { InvalidResponseError } from '../errors.js';
import type { Day, Part } from '../inplanning/schemas.js';
import type { BookDay, DescribedPart } from './contracts.js';
import { parseDate } from './shift-times.js';
import { inWindow, type RosterWindow } from './window.js';

/** Shared empty parts list of days without parts. */
const NO_PARTS: readonly DescribedPart[] = Object.freeze([]);

export class RosterBook {
  /** Each wanted resource's days, sorted by date. */
  private readonly byResource = new Map<string, BookDay[]>();
  private readonly unknownResources = new Set<string>();
  /** One string per date and one list per single part, shared by all days that have them. */
  private readonly dates = new Map<string, string>();
  private readonly singles = new Map<DescribedPart, readonly DescribedPart[]>();

  constructor(
    private readonly wanted: ReadonlySet<string>,
    private readonly window: RosterWindow,
    private readonly describe: (part: Part) => DescribedPart,
  ) {}

  /**
   * Reduces one roster's days of `resource` to what the book keeps: only wanted people, only
   * days inside the window, parts described. Rosters are reduced as they arrive, so the raw
   * answers can be let go at once. Throws InvalidResponseError for a date that is no date.
   */
  reduce(resource: string, days: readonly Day[] | null | undefined): BookDay[] | undefined {
    if (!this.wanted.has(resource)) {
      this.unknownResources.add(resource);
      return undefined;
    }
    const reduced: BookDay[] = [];
    for (const day of days ?? []) {
      if (!inWindow(this.window, day.rosterDate)) continue;
      reduced.push({
        rosterDate: this.date(resource, day.rosterDate),
        absent: Boolean(day.absence),
        parts: this.parts(day.parts ?? []),
      });
    }
    return reduced;
  }

  /** Files reduced days of `resource`, merging them with the copies filed before. */
  file(resource: string, days: readonly BookDay[] | undefined): void {
    if (!days) return;
    const filed = this.byResource.get(resource);
    if (!filed) {
      this.byResource.set(resource, sortedDays(days));
      return;
    }
    for (const day of days) mergeDay(filed, day);
  }

  /** The merged days of `resource`, in date order. */
  daysOf(resource: string): readonly BookDay[] {
    return this.byResource.get(resource) ?? [];
  }

  /** How many resources had rosters but are not among the people read. */
  get unknownCount(): number {
    return this.unknownResources.size;
  }

  /** The shared string of a roster date, checked to be a calendar date when first seen. */
  private date(resource: string, rosterDate: string): string {
    const text = rosterDate.slice(0, 10);
    const known = this.dates.get(text);
    if (known !== undefined) return known;
    checkDate(resource, rosterDate);
    this.dates.set(text, text);
    return text;
  }

  private parts(parts: readonly Part[]): readonly DescribedPart[] {
    if (parts.length === 0) return NO_PARTS;
    if (parts.length > 1) return parts.map((part) => this.describe(part));
    const only = this.describe(parts[0]!);
    let single = this.singles.get(only);
    if (!single) {
      single = Object.freeze([only]);
      this.singles.set(only, single);
    }
    return single;
  }
}

function sortedDays(days: readonly BookDay[]): BookDay[] {
  const sorted = [...days];
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i - 1]!.rosterDate > sorted[i]!.rosterDate) {
      return sorted.sort((a, b) => (a.rosterDate < b.rosterDate ? -1 : 1));
    }
  }
  return sorted;
}

function checkDate(resource: string, rosterDate: string): void {
  try {
    parseDate(rosterDate.slice(0, 10));
  } catch (error) {
    throw new InvalidResponseError(
      `InPlanning returned a roster day of resource "${resource}" dated "${rosterDate}", ` +
        'which is not a calendar date.',
      undefined,
      { cause: error },
    );
  }
}

/** Merges one day into a date-sorted list, finding its place by binary search. */
function mergeDay(filed: BookDay[], day: BookDay): void {
  let low = 0;
  let high = filed.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (filed[middle]!.rosterDate < day.rosterDate) low = middle + 1;
    else high = middle;
  }
  const existing = filed[low];
  if (existing?.rosterDate !== day.rosterDate) {
    filed.splice(low, 0, day);
    return;
  }
  filed[low] = {
    rosterDate: day.rosterDate,
    absent: existing.absent || day.absent,
    parts: unionParts(existing.parts, day.parts),
  };
}

/**
 * A multiset union by shift code and group: a part that another copy already brought is not
 * added again, while a day that really holds the same part twice keeps both. The lists given
 * may be shared, so a new list is made when parts are added.
 */
function unionParts(
  have: readonly DescribedPart[],
  incoming: readonly DescribedPart[],
): readonly DescribedPart[] {
  const counts = new Map<string, number>();
  for (const part of have) increment(counts, part.key);
  const seen = new Map<string, number>();
  const added: DescribedPart[] = [];
  for (const part of incoming) {
    if (increment(seen, part.key) > (counts.get(part.key) ?? 0)) added.push(part);
  }
  return added.length === 0 ? have : [...have, ...added];
}

function increment(counts: Map<string, number>, key: string): number {
  const next = (counts.get(key) ?? 0) + 1;
  counts.set(key, next);
  return next;
}
