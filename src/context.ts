/**
 * The engine's contexts (shapes in helloid-contract.md). Incoming keys are matched
 * case-insensitively at every level the contract defines; free-form objects (Data, Person,
 * Configuration) keep their keys as sent. Outgoing keys are PascalCase.
 */
import * as z from 'zod';
import { InputError, withoutExcerpt } from './errors.js';

/** An object schema whose known keys are matched case-insensitively; other keys pass through. */
function looseCaseInsensitive<T extends z.ZodRawShape>(shape: T) {
  const byLower = new Map(Object.keys(shape).map((key) => [key.toLowerCase(), key] as const));
  return z.preprocess((value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[byLower.get(key.toLowerCase()) ?? key] = item;
    }
    return out;
  }, z.looseObject(shape));
}

const looseRecord = z.record(z.string(), z.unknown());

const flexibleBoolean = z.preprocess((value) => {
  if (typeof value === 'string') return value.trim().toLowerCase() === 'true';
  return value ?? undefined;
}, z.boolean().optional());

const optionalText = z.preprocess(
  (value) => (value === null || value === '' ? undefined : value),
  z.union([z.string(), z.number().transform(String)]).optional(),
);

export const correlationSchema = looseCaseInsensitive({
  Enabled: flexibleBoolean,
  PersonField: optionalText,
  PersonFieldValue: z.unknown().optional(),
  AccountField: optionalText,
  AccountFieldValue: z.unknown().optional(),
});

export const subPermissionSchema = looseCaseInsensitive({
  DisplayName: optionalText,
  Reference: looseCaseInsensitive({ Id: optionalText }).optional(),
});

export const actionContextSchema = looseCaseInsensitive({
  Configuration: looseRecord.nullish(),
  DryRun: flexibleBoolean,
  Operation: optionalText,
  Origin: optionalText,
  Data: looseRecord.nullish(),
  CorrelationConfiguration: correlationSchema.nullish(),
  AccountCorrelated: flexibleBoolean,
  References: looseCaseInsensitive({
    Account: optionalText,
    ManagerAccount: z.unknown().optional(),
    Permission: looseCaseInsensitive({ Reference: optionalText }).nullish(),
  }).nullish(),
  PermissionDisplayName: optionalText,
  CurrentPermissions: z.array(subPermissionSchema).nullish(),
  ImportFields: z.array(z.string()).nullish(),
});

export const personContextSchema = looseCaseInsensitive({
  Person: looseRecord.nullish(),
  Manager: looseRecord.nullish(),
});

export const invocationSchema = looseCaseInsensitive({
  actionContext: actionContextSchema.default({}),
  personContext: personContextSchema.default({}),
});

export type ActionContext = z.infer<typeof actionContextSchema>;
export type PersonContext = z.infer<typeof personContextSchema>;
export type Invocation = z.infer<typeof invocationSchema>;
export type SubPermission = { DisplayName: string; Reference: { Id: string } };

export interface AuditLog {
  Action: string;
  Message: string;
  IsError: boolean;
}

/** What an action returns to the engine. Only the keys an action sets are present. */
export interface OutputContext {
  Success: boolean;
  AuditLogs: AuditLog[];
  AccountReference?: string;
  AccountCorrelated?: boolean;
  Data?: Record<string, unknown>;
  PreviousData?: Record<string, unknown>;
  Permissions?: { DisplayName: string; Identification: { Reference: string } }[];
  SubPermissions?: SubPermission[];
}

/** Parses the `{ actionContext, personContext }` JSON the engine hands over. */
export function parseInvocation(text: string, source: string): Invocation {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(`The context from ${source} is not valid JSON.`, {
      cause: withoutExcerpt(error),
    });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(`The context from ${source} must be one JSON object.`);
  }
  const result = invocationSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join('.') || 'context';
    throw new InputError(`The context from ${source} is invalid at ${where}: ${issue?.message}.`);
  }
  return result.data;
}

/** Looks a key up case-insensitively in a free-form object. */
export function getKey(obj: Record<string, unknown> | null | undefined, key: string): unknown {
  if (!obj) return undefined;
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  for (const [name, value] of Object.entries(obj)) {
    if (name.toLowerCase() === lower) return value;
  }
  return undefined;
}

/** Follows a dotted path (`Person.Name.NickName`) case-insensitively; missing steps give null. */
export function getPath(root: unknown, dotted: string): unknown {
  let current: unknown = root;
  for (const step of dotted.split('.')) {
    if (current === null || current === undefined || typeof current !== 'object') return null;
    current = getKey(current as Record<string, unknown>, step);
  }
  return current === undefined ? null : current;
}
