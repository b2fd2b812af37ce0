/**
 * `target import-permissions`: for each catalogue permission (and each sub-permission a dynamic
 * one has on some account), the accounts that hold it, at most 500 references per row.
 */
import type { User } from '../inplanning/schemas.js';
import {
  type Catalogue,
  type CataloguePermission,
  isDynamic,
  loadCatalogue,
} from './permission-catalogue.js';
import { subPermissionName } from './permission-report.js';
import { templateMatches } from './permission-template.js';
import {
  assignmentOf,
  formatAssignment,
  type RoleAssignment,
  sameAssignment,
} from './role-assignment.js';
import type { TargetAction } from './types.js';

/** The engine's limit of account references in one row. */
export const REFERENCES_PER_ROW = 500;

export interface PermissionRow {
  PermissionReference: { Reference: string };
  SubPermissionReference?: { Id: string };
  DisplayName: string;
  AccountReferences: string[];
}

export const run: TargetAction = async (input) => {
  const catalogue = await loadCatalogue(input.permissionsFile);
  const users = await input.client.listUsers();
  const rows = catalogue.permissions.flatMap((permission) =>
    isDynamic(permission)
      ? dynamicRows(permission, catalogue, users)
      : rowsOf(permission, permission.displayName, holders(users, permission.role)),
  );
  return { kind: 'rows', rows };
};

/** The parent row (every account holding any of its assignments), then one per sub-permission. */
function dynamicRows(
  permission: CataloguePermission,
  catalogue: Catalogue,
  users: User[],
): PermissionRow[] {
  const statics = catalogue.permissions.filter((item) => !isDynamic(item));
  const byPair = new Map<string, { pair: RoleAssignment; accounts: Set<string> }>();
  for (const user of users) {
    for (const role of user.roles ?? []) {
      const pair = assignmentOf(role);
      // A pair a static permission names exactly belongs to that permission.
      if (!templateMatches(permission.role, pair)) continue;
      if (statics.some((item) => sameAssignment(item.role, pair))) continue;
      const key = formatAssignment(pair);
      const entry = byPair.get(key) ?? { pair, accounts: new Set<string>() };
      entry.accounts.add(user.username);
      byPair.set(key, entry);
    }
  }
  const all = new Set([...byPair.values()].flatMap((entry) => [...entry.accounts]));
  const parent = rowsOf(permission, permission.displayName, sorted(all));
  const subs = [...byPair.entries()]
    .sort(([a], [b]) => compare(a, b))
    .flatMap(([id, entry]) =>
      rowsOf(permission, subPermissionName(entry.pair), sorted(entry.accounts), id),
    );
  return [...parent, ...subs];
}

function holders(users: User[], pair: CataloguePermission['role']): string[] {
  const names = users
    .filter((user) => (user.roles ?? []).some((role) => sameAssignment(role, pair)))
    .map((user) => user.username);
  return sorted(names);
}

/** One row per 500 references; a permission nobody holds still gets one (empty) row. */
function rowsOf(
  permission: CataloguePermission,
  displayName: string,
  accounts: string[],
  subPermissionId?: string,
): PermissionRow[] {
  const rows: PermissionRow[] = [];
  for (let start = 0; start === 0 || start < accounts.length; start += REFERENCES_PER_ROW) {
    rows.push({
      PermissionReference: { Reference: permission.reference },
      ...(subPermissionId === undefined ? {} : { SubPermissionReference: { Id: subPermissionId } }),
      DisplayName: displayName,
      AccountReferences: accounts.slice(start, start + REFERENCES_PER_ROW),
    });
  }
  return rows;
}

function sorted(names: Iterable<string>): string[] {
  return [...new Set(names)].sort(compare);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
