/**
 * zod schemas of InPlanning's objects (inplanning-api.md). They let unknown fields through, so a
 * read-modify-write never drops what a tenant sends that we do not know about.
 */
import * as z from 'zod';

const text = z.string().nullish();

/** `active` is seen as a boolean and as the strings "True"/"False". */
export const activeSchema = z.union([
  z.boolean(),
  z.string().refine((value) => /^(true|false)$/i.test(value.trim()), {
    error: 'must be a boolean or "True"/"False"',
  }),
]);
export type Active = z.infer<typeof activeSchema>;

/** Reads `active` in either representation. */
export function isActive(value: Active | null | undefined): boolean {
  if (typeof value === 'string') return value.trim().toLowerCase() === 'true';
  return value === true;
}

/** Writes an active state in the representation the tenant used for `previous`. */
export function activeLike(previous: Active | null | undefined, active: boolean): Active {
  if (typeof previous === 'string') return active ? 'True' : 'False';
  return active;
}

export const roleSchema = z.looseObject({
  role: z.string(),
  resourceGroup: text,
  exchangeGroup: text,
  shiftGroup: text,
  worklocationGroup: text,
  userGroup: text,
  startDate: text,
  endDate: text,
});
export type Role = z.infer<typeof roleSchema>;

export const userSchema = z.looseObject({
  username: z.string().min(1),
  firstName: text,
  lastName: text,
  email: text,
  active: activeSchema.nullish(),
  userGroup: text,
  resource: text,
  displayName: text,
  roles: z.array(roleSchema).nullish(),
});
export type User = z.infer<typeof userSchema>;

export const labourHistSchema = z.looseObject({ startDate: text, endDate: text });

export const humanResourceSchema = z.looseObject({
  uname: z.string().min(1),
  externalId: text,
  firstName: text,
  lastName: text,
  gender: text,
  phone: text,
  email: text,
  labourHists: z.array(labourHistSchema).nullish(),
});
export type HumanResource = z.infer<typeof humanResourceSchema>;

export interface ResourceGroup {
  uname: string;
  name?: string | null | undefined;
  parent?: string | null | undefined;
  description?: string | null | undefined;
  externalId?: string | null | undefined;
  children?: ResourceGroup[] | null | undefined;
  [key: string]: unknown;
}

export const resourceGroupSchema: z.ZodType<ResourceGroup> = z.lazy(() =>
  z.looseObject({
    uname: z.string().min(1),
    name: text,
    parent: text,
    description: text,
    externalId: text,
    children: z.array(resourceGroupSchema).nullish(),
  }),
);

const namedRef = z.looseObject({ uname: z.string(), name: text });

export const partSchema = z.looseObject({
  shift: namedRef,
  group: z.looseObject({ uname: z.string(), name: text, description: text, externalId: text }),
  prop: namedRef.nullish(),
  labourHist: z.unknown().optional(),
  labourHistGroup: z.unknown().optional(),
});
export type Part = z.infer<typeof partSchema>;

export const daySchema = z.looseObject({
  rosterDate: z.string().regex(/^\d{4}-\d{2}-\d{2}/, { error: 'must be a date yyyy-MM-dd' }),
  absence: z.unknown().nullish(),
  parts: z.array(partSchema).nullish(),
});
export type Day = z.infer<typeof daySchema>;

export const resourceRosterSchema = z.looseObject({
  resource: z.string().nullish(),
  days: z.array(daySchema).nullish(),
});
export type ResourceRoster = z.infer<typeof resourceRosterSchema>;

export const groupRosterSchema = z.looseObject({
  resourceRosters: z
    .array(z.looseObject({ uname: z.string(), days: z.array(daySchema).nullish() }))
    .nullish(),
});
export type GroupRoster = z.infer<typeof groupRosterSchema>;

export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;
