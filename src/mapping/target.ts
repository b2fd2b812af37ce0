/**
 * The engine's target field mapping (`fieldMapping.json`): reading and validating it as the
 * engine exports it, and computing the `Data` one action receives for a person.
 */
import * as z from 'zod';
import { getPath } from '../context.js';
import { InputError, MappingError } from '../errors.js';
import { isObject, readJsonFile } from './file.js';
import { Sandbox, ScriptError, compileScript, type ScriptGroup } from './sandbox.js';

/** The actions a field mapping computes Data for. */
export const MAPPING_ACTIONS = ['Create', 'Update', 'Enable', 'Disable', 'Delete'] as const;
export type MappingAction = (typeof MAPPING_ACTIONS)[number];

const MAPPING_MODES = ['Field', 'Fixed', 'Complex', 'None'] as const;
export type MappingMode = (typeof MAPPING_MODES)[number];

/** How one field is computed for one action; `value` is the decoded Value. */
export interface FieldRule {
  mode: MappingMode;
  value: string;
}

export interface MappedField {
  name: string;
  type: string;
  /** Only fields of type Array may hold a list. */
  allowsList: boolean;
  /** The rule per action, keyed by the action name in lower case. */
  rules: Map<string, FieldRule>;
}

/** A validated field mapping. */
export interface FieldMapping {
  /** Where the mapping came from, for messages. */
  source: string;
  fields: MappedField[];
  /** The time limit of one Complex script. */
  timeoutMs: number | undefined;
}

/** The person a mapping reads: `Person` and its primary `Manager`. */
export interface MappingInput {
  Person?: Record<string, unknown> | null;
  Manager?: Record<string, unknown> | null;
}

export interface FieldMappingOptions {
  /** The time limit of one Complex script in ms (default 1000). */
  timeoutMs?: number;
}

const mappingActionSchema = z.looseObject({
  MapForActions: z.array(z.string()),
  MappingMode: z.string(),
  Value: z.unknown().optional(),
});

const mappingFieldSchema = z.looseObject({
  Name: z.string().trim().min(1),
  Type: z.string().nullish(),
  MappingActions: z.array(mappingActionSchema),
});

const fieldMappingFileSchema = z.looseObject({
  Version: z.string().nullish(),
  MappingFields: z.array(mappingFieldSchema),
});

type RawField = z.infer<typeof mappingFieldSchema>;
type RawAction = z.infer<typeof mappingActionSchema>;

/** Reads and validates a fieldMapping.json; a malformed entry is refused naming its field. */
export function loadFieldMapping(file: string, options: FieldMappingOptions = {}): FieldMapping {
  return parseFieldMapping(readJsonFile(file, 'field mapping'), file, options);
}

/** Validates the parsed JSON of a fieldMapping.json; `source` names it in messages. */
export function parseFieldMapping(
  raw: unknown,
  source: string,
  options: FieldMappingOptions = {},
): FieldMapping {
  const result = fieldMappingFileSchema.safeParse(raw);
  if (!result.success) throw schemaError(raw, source, result.error);

  const seen = new Set<string>();
  const fields = result.data.MappingFields.map((field) => {
    if (seen.has(field.Name))
      throw fieldError(field.Name, source, 'appears twice in MappingFields');
    seen.add(field.Name);
    return readField(field, source);
  });
  return { source, fields, timeoutMs: options.timeoutMs };
}

/** The canonical name of an action given in any case; an unknown action is an input error. */
export function parseMappingAction(action: string): MappingAction {
  const found = MAPPING_ACTIONS.find((name) => name.toLowerCase() === action.trim().toLowerCase());
  if (!found) {
    throw new InputError(
      `The action "${action}" is not one of ${MAPPING_ACTIONS.slice(0, -1).join(', ')} or Delete.`,
    );
  }
  return found;
}

/** The Data one action receives for a person: field name to value; mode None leaves a field out. */
export function computeData(
  mapping: FieldMapping,
  action: string,
  input: MappingInput,
): Record<string, unknown> {
  return computeDataForMany(mapping, action, [input])[0] ?? {};
}

/** computeData for many persons at once, sharing one sandbox run (much faster per person). */
export function computeDataForMany(
  mapping: FieldMapping,
  action: string,
  inputs: MappingInput[],
): Record<string, unknown>[] {
  const key = parseMappingAction(action).toLowerCase();
  const selected = mapping.fields.flatMap((field) => {
    const rule = field.rules.get(key);
    return rule && rule.mode !== 'None' ? [{ field, rule }] : [];
  });

  const complex = selected.filter(({ rule }) => rule.mode === 'Complex');
  const scriptValues = runComplex(mapping, complex, inputs);

  return inputs.map((input, index) => {
    const values = scriptValues[index] ?? [];
    const data: Record<string, unknown> = {};
    let next = 0;
    for (const { field, rule } of selected) {
      const value = rule.mode === 'Complex' ? values[next++] : plainValue(rule, input);
      data[field.name] = checkShape(field, value, mapping.source);
    }
    return data;
  });
}

function readField(raw: RawField, source: string): MappedField {
  const type = raw.Type?.trim() || 'Text';
  const rules = new Map<string, FieldRule>();
  for (const action of raw.MappingActions) {
    const rule = readRule(raw.Name, action, source);
    for (const name of action.MapForActions) {
      const key = name.trim().toLowerCase();
      if (rules.has(key)) {
        throw fieldError(raw.Name, source, `is mapped twice for the action ${name.trim()}`);
      }
      rules.set(key, rule);
    }
  }
  return { name: raw.Name, type, allowsList: type.toLowerCase() === 'array', rules };
}

function readRule(field: string, action: RawAction, source: string): FieldRule {
  const mode = MAPPING_MODES.find((m) => m.toLowerCase() === action.MappingMode.toLowerCase());
  if (!mode) throw fieldError(field, source, `has an unknown MappingMode "${action.MappingMode}"`);
  if (mode === 'None') return { mode, value: '' };

  const decoded = decodeValue(field, action.Value, source);
  const value = mode === 'Field' ? decoded.trim() : decoded;
  if (mode === 'Field') checkPersonPath(field, value, source);
  if (mode === 'Complex') compileScript(field, value);
  return { mode, value };
}

/** The engine stores every Value JSON-encoded a second time: `"\"Person.ExternalId\""`. */
function decodeValue(field: string, value: unknown, source: string): string {
  const problem = 'has a Value that is not a JSON-encoded string (such as "\\"Root\\"")';
  if (typeof value !== 'string') throw fieldError(field, source, problem);
  let decoded: unknown;
  try {
    decoded = JSON.parse(value);
  } catch {
    throw fieldError(field, source, problem);
  }
  if (typeof decoded !== 'string') throw fieldError(field, source, problem);
  return decoded;
}

function checkPersonPath(field: string, path: string, source: string): void {
  const steps = path.split('.');
  const root = steps[0]?.toLowerCase();
  const valid =
    steps.every((step) => step.trim() !== '') && (root === 'person' || root === 'manager');
  if (!valid || steps.length < 2) {
    throw fieldError(
      field,
      source,
      `has the path "${path}", which does not start with Person. or Manager. as a Field needs`,
    );
  }
}

function plainValue(rule: FieldRule, input: MappingInput): unknown {
  if (rule.mode === 'Fixed') return rule.value;
  const value = getPath(
    { Person: input.Person ?? null, Manager: input.Manager ?? null },
    rule.value,
  );
  // A copy, so that an action changing Data cannot change the person it came from.
  return value !== null && typeof value === 'object' ? structuredClone(value) : value;
}

function checkShape(field: MappedField, value: unknown, source: string): unknown {
  if (Array.isArray(value) && !field.allowsList) {
    throw new MappingError(
      field.name,
      `The mapping of field "${field.name}" in ${source} gave a list, but only fields of type ` +
        `Array may hold one (its type is ${field.type}).`,
    );
  }
  return value === undefined ? null : value;
}

const GLOBALS = ['Person', 'Manager'];
const sandboxes = new WeakMap<FieldMapping, Sandbox>();

/** One sandbox context per mapping, reused for every person and action. */
function sandboxFor(mapping: FieldMapping): Sandbox {
  let sandbox = sandboxes.get(mapping);
  if (!sandbox) {
    sandbox = new Sandbox({ globals: GLOBALS, timeoutMs: mapping.timeoutMs });
    sandboxes.set(mapping, sandbox);
  }
  return sandbox;
}

function runComplex(
  mapping: FieldMapping,
  complex: { field: MappedField; rule: FieldRule }[],
  inputs: MappingInput[],
): unknown[][] {
  if (complex.length === 0) return [];
  const group: ScriptGroup = {
    globals: GLOBALS,
    scripts: complex.map(({ field, rule }) => ({ field: field.name, source: rule.value })),
  };
  const frames = inputs.map((input) => ({
    group: 0,
    values: [input.Person ?? null, input.Manager ?? null],
  }));
  try {
    return sandboxFor(mapping).run([group], frames);
  } catch (error) {
    throw inputs.length > 1 ? withPerson(error, inputs) : error;
  }
}

/** Adds the person a script failed for, when many persons were mapped at once. */
function withPerson(error: unknown, inputs: MappingInput[]): unknown {
  if (!(error instanceof ScriptError)) return error;
  const person = inputs[error.frame]?.Person;
  const id = isObject(person) ? getPath(person, 'ExternalId') : null;
  const who = id === null ? `person number ${error.frame + 1}` : `person ${String(id)}`;
  return new ScriptError(
    error.field,
    error.frame,
    error.message.replace(/\.?$/, ` (for ${who}).`),
    {
      cause: error,
    },
  );
}

function fieldError(field: string, source: string, problem: string): MappingError {
  return new MappingError(field, `Field "${field}" in ${source} ${problem}.`);
}

/** Turns the first schema problem into a sentence naming the field it concerns. */
function schemaError(raw: unknown, source: string, error: z.ZodError): MappingError {
  const issue = error.issues[0];
  const path = issue?.path ?? [];
  const where = path.length > 0 ? path.join('.') : 'the top level';
  if (path[0] === 'MappingFields' && typeof path[1] === 'number' && isObject(raw)) {
    const entry = Array.isArray(raw.MappingFields) ? raw.MappingFields[path[1]] : undefined;
    const name = isObject(entry) && typeof entry.Name === 'string' ? entry.Name : undefined;
    if (name?.trim()) {
      return fieldError(name, source, `is invalid at ${where}: ${issue?.message ?? 'invalid'}`);
    }
  }
  return new MappingError(
    '(file)',
    `The field mapping ${source} is invalid at ${where}: ${issue?.message ?? 'invalid'}.`,
  );
}
