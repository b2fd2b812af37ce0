/**
 * The permission catalogue (`--permissions FILE`): which InPlanning role assignments the engine
 * may grant. A value may hold placeholders such as `{{DepartmentCode}}`; `lookups` maps each one
 * to a path in a contract, which makes the permission dynamic (one assignment per contract).
 */
import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { InputError, MappingError } from '../errors.js';
import { sameAssignment } from './role-assignment.js';

/** The fields of a role assignment the catalogue describes, in the order they are written. */
export const TEMPLATE_FIELDS = [
  'role',
  'resourceGroup',
  'exchangeGroup',
  'shiftGroup',
  'worklocationGroup',
  'userGroup',
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/** A role assignment as the catalogue describes it; values may hold placeholders. */
export type RoleTemplate = { role: string } & Partial<
  Record<Exclude<TemplateField, 'role'>, string | null>
>;

export interface CataloguePermission {
  reference: string;
  displayName: string;
  role: RoleTemplate;
  /** The placeholders its values use, each once, in order of appearance. */
  placeholders: string[];
}

export interface Catalogue {
  /** Placeholder (with its braces) → path in a contract, such as `Department.ExternalId`. */
  lookups: ReadonlyMap<string, string>;
  permissions: CataloguePermission[];
}

const PLACEHOLDER = /\{\{[^{}]+\}\}/g;

const groupValue = z.string().nullish();

const roleTemplateSchema = z.strictObject({
  role: z.string().trim().min(1, { error: 'must name a role' }),
  resourceGroup: groupValue,
  exchangeGroup: groupValue,
  shiftGroup: groupValue,
  worklocationGroup: groupValue,
  userGroup: groupValue,
});

const catalogueSchema = z.strictObject({
  lookups: z.record(z.string(), z.string().trim().min(1, { error: 'must be a path' })).default({}),
  permissions: z.array(
    z.strictObject({
      reference: z.string().trim().min(1, { error: 'must not be empty' }),
      displayName: z.string().trim().min(1).optional(),
      role: roleTemplateSchema,
    }),
  ),
});

/** The placeholders in a text, such as `{{DepartmentCode}}`, in order of appearance. */
export function placeholdersIn(text: string | null | undefined): string[] {
  return text ? (text.match(PLACEHOLDER) ?? []) : [];
}

/** Whether the permission yields one assignment per contract. */
export function isDynamic(permission: CataloguePermission): boolean {
  return permission.placeholders.length > 0;
}

/** Reads and validates the catalogue file; every problem is an error naming what to fix. */
export async function loadCatalogue(file: string | undefined): Promise<Catalogue> {
  if (!file) {
    throw new InputError('This action needs the permission catalogue.', {
      suggestion: 'Pass it with --permissions FILE (see fixtures/permissions.json).',
    });
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`The permission catalogue ${file} cannot be read.`, { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new MappingError('catalogue', `The permission catalogue ${file} is not valid JSON.`, {
      cause: error,
    });
  }
  return parseCatalogue(raw, file);
}

/** Validates a parsed catalogue: its shape, its lookups, unique references and pairs. */
export function parseCatalogue(raw: unknown, source: string): Catalogue {
  const result = catalogueSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join('.') || 'the top level';
    throw new MappingError(
      where,
      `The permission catalogue ${source} is invalid at ${where}: ${issue?.message}.`,
    );
  }
  const lookups = checkedLookups(result.data.lookups, source);
  const permissions = result.data.permissions.map((entry) => ({
    reference: entry.reference,
    displayName: entry.displayName ?? entry.reference,
    role: templateOf(entry.role),
    placeholders: placeholdersOf(entry.role),
  }));
  for (const permission of permissions) checkPlaceholders(permission, lookups, source);
  checkUniqueReferences(permissions, source);
  checkUniqueStaticPairs(permissions, source);
  return { lookups, permissions };
}

/** The permission the engine names, matched exactly or else case-insensitively. */
export function findPermission(
  catalogue: Catalogue,
  reference: string | undefined,
): CataloguePermission {
  if (!reference) {
    throw new InputError('The context names no permission (References.Permission.Reference).');
  }
  const exact = catalogue.permissions.find((permission) => permission.reference === reference);
  const lower = reference.toLowerCase();
  const found =
    exact ?? catalogue.permissions.find((item) => item.reference.toLowerCase() === lower);
  if (!found) {
    throw new InputError(`The permission "${reference}" is not in the permission catalogue.`, {
      suggestion: 'Add it to the --permissions file, or list the catalogue with `permissions`.',
    });
  }
  return found;
}

function checkedLookups(lookups: Record<string, string>, source: string): Map<string, string> {
  const checked = new Map<string, string>();
  for (const [placeholder, path] of Object.entries(lookups)) {
    if (!/^\{\{[^{}]+\}\}$/.test(placeholder)) {
      throw new MappingError(
        placeholder,
        `The lookup "${placeholder}" in ${source} must be one placeholder such as {{Name}}.`,
      );
    }
    checked.set(placeholder, path);
  }
  return checked;
}

function templateOf(role: z.infer<typeof roleTemplateSchema>): RoleTemplate {
  const template: RoleTemplate = { role: role.role };
  for (const field of TEMPLATE_FIELDS) {
    if (field !== 'role' && role[field] !== undefined) template[field] = role[field] || null;
  }
  return template;
}

function placeholdersOf(role: z.infer<typeof roleTemplateSchema>): string[] {
  const all = TEMPLATE_FIELDS.flatMap((field) => placeholdersIn(role[field]));
  return [...new Set(all)];
}

function checkPlaceholders(
  permission: CataloguePermission,
  lookups: ReadonlyMap<string, string>,
  source: string,
): void {
  const missing = permission.placeholders.filter((placeholder) => !lookups.has(placeholder));
  if (missing.length === 0) return;
  throw new MappingError(
    missing[0]!,
    `The permission "${permission.reference}" in ${source} uses ${missing.join(', ')} ` +
      `without a lookup.`,
    { suggestion: 'Add each placeholder to "lookups" with the contract path it reads.' },
  );
}

function checkUniqueReferences(permissions: CataloguePermission[], source: string): void {
  const seen = new Set<string>();
  const duplicated = new Set<string>();
  for (const { reference } of permissions) {
    const key = reference.toLowerCase();
    if (seen.has(key)) duplicated.add(reference);
    seen.add(key);
  }
  if (duplicated.size === 0) return;
  const names = [...duplicated].map((reference) => `"${reference}"`).join(', ');
  throw new MappingError(
    [...duplicated][0]!,
    `The permission catalogue ${source} holds the reference ${names} more than once.`,
  );
}

/** Two static permissions on one pair would revoke each other's assignment. */
function checkUniqueStaticPairs(permissions: CataloguePermission[], source: string): void {
  const statics = permissions.filter((permission) => !isDynamic(permission));
  statics.forEach((permission, index) => {
    const other = statics
      .slice(0, index)
      .find((item) => sameAssignment(item.role, permission.role));
    if (!other) return;
    throw new MappingError(
      permission.reference,
      `The permissions "${other.reference}" and "${permission.reference}" in ${source} ` +
        `describe the same role and resource group.`,
    );
  });
}
