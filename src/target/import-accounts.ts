/**
 * `target import-accounts`: every InPlanning account as one row
 * `{AccountReference, DisplayName, UserName, Enabled, Data}`, with Data limited to the
 * `ImportFields` the engine asks for (every field when it names none) and never holding arrays.
 */
import { getKey } from '../context.js';
import { isActive, type User } from '../inplanning/schemas.js';
import { withoutArrays } from './account.js';
import type { TargetAction } from './types.js';

/** The engine refuses display names longer than this. */
export const MAX_DISPLAY_NAME = 100;

/** One imported account, as the engine reads it. */
export interface AccountRow {
  AccountReference: string;
  DisplayName: string;
  UserName: string;
  Enabled: boolean;
  Data: Record<string, unknown>;
}

export const run: TargetAction = async (input) => {
  const users = await input.client.listUsers();
  const fields = input.action.ImportFields ?? undefined;
  return { kind: 'rows', rows: users.map((user) => accountRow(user, fields)) };
};

/** The row of one account; `fields` limits Data (undefined: every field). */
export function accountRow(user: User, fields: string[] | undefined): AccountRow {
  return {
    AccountReference: user.username,
    DisplayName: displayName(user),
    UserName: user.username,
    Enabled: isActive(user.active),
    Data: importData(user, fields),
  };
}

/** The display name, else first and last name, else the username; at most 100 characters. */
export function displayName(user: User): string {
  const named = user.displayName?.trim();
  const full = [user.firstName, user.lastName]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(' ');
  const name = named || full || user.username.trim() || user.username;
  // Cut by code points, so a character outside the BMP is never split in half.
  return Array.from(name).slice(0, MAX_DISPLAY_NAME).join('');
}

function importData(user: User, fields: string[] | undefined): Record<string, unknown> {
  if (!fields) return withoutArrays(user);
  const data: Record<string, unknown> = {};
  for (const field of fields) {
    const value = getKey(user, field);
    if (!Array.isArray(value)) data[field] = value ?? null;
  }
  return data;
}
