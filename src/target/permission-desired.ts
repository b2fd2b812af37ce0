/**
 * The role assignments a permission should give a person: one for a static permission, one per
 * contract in conditions for a dynamic one (placeholders filled from each contract), with the
 * contract's end date as `endDate` when RoleEndDateFromContract is set.
 */
import type { Settings } from '../config.js';
import { getKey, getPath, type PersonContext } from '../context.js';
import {
  type Catalogue,
  type CataloguePermission,
  isDynamic,
  type RoleTemplate,
} from './permission-catalogue.js';
import { contractDate } from './permission-dates.js';
import { fillTemplate } from './permission-template.js';
import { sameAssignment } from './role-assignment.js';

/** A filled role template with the end date it should carry (null: open-ended). */
export type DesiredAssignment = RoleTemplate & { endDate: string | null };

export type DesiredResult =
  { ok: true; assignments: DesiredAssignment[]; notes: string[] } | { ok: false; message: string };

type Contract = Record<string, unknown>;

type Settled<T> = { ok: true; value: T } | { ok: false; message: string };

/** Computes the desired assignments of `permission` from the person's contracts. */
export function desiredAssignments(
  permission: CataloguePermission,
  catalogue: Catalogue,
  person: PersonContext,
  settings: Pick<Settings, 'RoleEndDateFromContract' | 'TimeZone'>,
): DesiredResult {
  // Without contracts to read (a reconciliation may send no person) nothing can be desired, and
  // concluding "none" would revoke every current assignment: fail closed instead.
  if (isDynamic(permission) && !Array.isArray(getKey(person.Person, 'Contracts'))) {
    return {
      ok: false,
      message:
        `The person context holds no Contracts, so the assignments of permission ` +
        `"${permission.reference}" cannot be computed; nothing was changed.`,
    };
  }
  const selection = selectContracts(person);
  const usesContracts = isDynamic(permission) || settings.RoleEndDateFromContract;
  const notes =
    selection.usedAll && usesContracts
      ? [
          `No contract carries Context, so all ${selection.contracts.length} contract(s) ` +
            `were used as if in conditions.`,
        ]
      : [];
  const result = isDynamic(permission)
    ? perContract(permission, catalogue, selection.contracts, settings)
    : staticAssignment(permission, selection.contracts, settings);
  return result.ok ? { ok: true, assignments: result.value, notes } : result;
}

/** The contracts in conditions; when none carries Context (some previews), all of them. */
function selectContracts(person: PersonContext): { contracts: Contract[]; usedAll: boolean } {
  const listed = getKey(person.Person, 'Contracts');
  const contracts = Array.isArray(listed) ? listed.filter(isContract) : [];
  const withContext = contracts.some((contract) => getKey(contract, 'Context') != null);
  if (!withContext) return { contracts, usedAll: contracts.length > 0 };
  return { contracts: contracts.filter(inConditions), usedAll: false };
}

function isContract(value: unknown): value is Contract {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function inConditions(contract: Contract): boolean {
  const flag = getPath(contract, 'Context.InConditions');
  return flag === true || (typeof flag === 'string' && flag.trim().toLowerCase() === 'true');
}

function staticAssignment(
  permission: CataloguePermission,
  contracts: Contract[],
  settings: Pick<Settings, 'RoleEndDateFromContract' | 'TimeZone'>,
): Settled<DesiredAssignment[]> {
  if (!settings.RoleEndDateFromContract || contracts.length === 0) {
    return { ok: true, value: [{ ...permission.role, endDate: null }] };
  }
  const ends: (string | null)[] = [];
  for (const [index, contract] of contracts.entries()) {
    const end = contractEndDate(contract, index, settings.TimeZone);
    if (!end.ok) return end;
    ends.push(end.value);
  }
  return { ok: true, value: [{ ...permission.role, endDate: ends.reduce(laterEnd) }] };
}

function perContract(
  permission: CataloguePermission,
  catalogue: Catalogue,
  contracts: Contract[],
  settings: Pick<Settings, 'RoleEndDateFromContract' | 'TimeZone'>,
): Settled<DesiredAssignment[]> {
  const desired: DesiredAssignment[] = [];
  for (const [index, contract] of contracts.entries()) {
    const values = placeholderValues(permission, catalogue, contract, index);
    if (!values.ok) return values;
    const end = settings.RoleEndDateFromContract
      ? contractEndDate(contract, index, settings.TimeZone)
      : ({ ok: true, value: null } as const);
    if (!end.ok) return end;
    merge(desired, { ...fillTemplate(permission.role, values.value), endDate: end.value });
  }
  return { ok: true, value: desired };
}

/** Two contracts may yield the same pair: keep the first, with the later end date. */
function merge(desired: DesiredAssignment[], next: DesiredAssignment): void {
  const existing = desired.find((item) => sameAssignment(item, next));
  if (!existing) desired.push(next);
  else existing.endDate = laterEnd(existing.endDate, next.endDate);
}

function laterEnd(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return null;
  return a > b ? a : b;
}

function placeholderValues(
  permission: CataloguePermission,
  catalogue: Catalogue,
  contract: Contract,
  index: number,
): Settled<Map<string, string>> {
  const values = new Map<string, string>();
  for (const placeholder of permission.placeholders) {
    const path = catalogue.lookups.get(placeholder) ?? '';
    const value = getPath(contract, path);
    const text = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
    if (text === '') {
      return {
        ok: false,
        message:
          `Contract ${contractName(contract, index)} has no value for ${placeholder} ` +
          `(${path}), which the permission "${permission.reference}" needs.`,
      };
    }
    values.set(placeholder, text);
  }
  return { ok: true, value: values };
}

/** The contract's EndDate as a date in the tenant's zone; null when it has none. */
function contractEndDate(contract: Contract, index: number, zone: string): Settled<string | null> {
  const raw = getKey(contract, 'EndDate');
  if (raw === null || raw === undefined || raw === '') return { ok: true, value: null };
  const date = typeof raw === 'string' ? contractDate(raw, zone) : undefined;
  if (!date) {
    const name = contractName(contract, index);
    return { ok: false, message: `Contract ${name} has an EndDate that is not a date.` };
  }
  return { ok: true, value: date };
}

function contractName(contract: Contract, index: number): string {
  const id = getKey(contract, 'ExternalId');
  if (typeof id === 'string' || typeof id === 'number') return `"${id}"`;
  return `#${index + 1} (without ExternalId)`;
}
