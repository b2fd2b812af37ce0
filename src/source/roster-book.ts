/**
 * The roster book: every wanted person's roster days inside the window, merged from however many
 * rosters mention them. A person planned in several groups appears in several group rosters, and
 * each copy may hold all of their parts or only that group's, so copies are merged as a union.
 */
import type { Day, Part } from '../inplanning/schemas.js';
import { partKey } from './contract-id.js';
import { inWindow, type RosterWindow } from './window.js';

/** One person's roster day after merging. */
export interface BookDay {
  rosterDate: string;
  /** A whole-day absence: the day's shifts will not happen. */
  absent: boolean;
  parts: Part[];
}

export class RosterBook {
  private readonly byResource = new Map<string, Map<string, BookDay>>();
  private readonly unknownResources = new Set<string>();

  constructor(
    private readonly wanted: ReadonlySet<string>,
    private readonly window: RosterWindow,
  ) {}

  /** Adds one roster's days of `resource`; rosters of people not wanted are noted and skipped. */
  add(resource: string, days: readonly Day[] | null | undefined): void {
    if (!this.wanted.has(resource)) {
      this.unknownResources.add(resource);
      return;
    }
    let book = this.byResource.get(resource);
    if (!book) {
      book = new Map();
      this.byResource.set(resource, book);
    }
    for (const day of days ?? []) {
      if (inWindow(this.window, day.rosterDate)) mergeDay(book, day);
    }
  }

  /** The merged days of `resource`, in date order. */
  daysOf(resource: string): BookDay[] {
    const book = this.byResource.get(resource);
    if (!book) return [];
    return [...book.values()].sort((a, b) => (a.rosterDate < b.rosterDate ? -1 : 1));
  }

  /** How many resources had rosters but are not among the people read. */
  get unknownCount(): number {
    return this.unknownResources.size;
  }
}

function mergeDay(book: Map<string, BookDay>, day: Day): void {
  const rosterDate = day.rosterDate.slice(0, 10);
  const absent = Boolean(day.absence);
  const existing = book.get(rosterDate);
  if (!existing) {
    book.set(rosterDate, { rosterDate, absent, parts: [...(day.parts ?? [])] });
    return;
  }
  existing.absent ||= absent;
  mergeParts(existing.parts, day.parts ?? []);
}

/**
 * A multiset union by shift code and group: a part that another copy already brought is not
 * added again, while a day that really holds the same part twice keeps both.
 */
function mergeParts(target: Part[], incoming: readonly Part[]): void {
  const have = new Map<string, number>();
  for (const part of target) increment(have, keyOf(part));
  const seen = new Map<string, number>();
  for (const part of incoming) {
    const key = keyOf(part);
    if (increment(seen, key) > (have.get(key) ?? 0)) target.push(part);
  }
}

function keyOf(part: Part): string {
  return partKey(part.shift.uname, part.group.uname);
}

function increment(counts: Map<string, number>, key: string): number {
  const next = (counts.get(key) ?? 0) + 1;
  counts.set(key, next);
  return next;
}
