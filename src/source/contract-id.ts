/**
 * Contract ExternalIds derived from what a shift is, never from where it sits in a list: the
 * resource, the roster date, the shift code and the group, plus an occurrence number that tells
 * apart identical parts of one day (the same shift in the same group twice).
 */
import { hash } from 'node:crypto';

/** What identifies one shift part. */
export interface ShiftIdentity {
  resource: string;
  rosterDate: string;
  shiftCode: string;
  group: string;
  /** 0 for the first part of this shift code and group on this day, 1 for the second, ... */
  occurrence: number;
}

/**
 * A readable prefix (resource and date, for people reading logs) and a hash of the whole
 * identity, which keeps ids unique whatever characters the codes hold.
 */
export function contractId(identity: ShiftIdentity): string {
  const { resource, rosterDate, shiftCode, group, occurrence } = identity;
  const identityText = JSON.stringify([resource, rosterDate, shiftCode, group, occurrence]);
  const digest = hash('sha256', identityText, 'hex').slice(0, 16);
  return `${resource}/${rosterDate}/${digest}`;
}

/** The key under which parts count as identical within one day. */
export function partKey(shiftCode: string, group: string): string {
  return JSON.stringify([shiftCode, group]);
}
