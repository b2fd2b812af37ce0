/**
 * The source mapping (`mapping.json`): turns the raw persons a source read produces into the
 * engine's person shape, each of their contracts mapped too.
 */
import * as z from 'zod';
import { getKey, getPath } from '../context.js';
import { InputError, MappingError } from '../errors.js';
import { isObject, readJsonFile } from './file.js';
import { Sandbox, ScriptError, compileScript, type ScriptFrame } from './sandbox.js';

export type SourceMode = 'field' | 'fixed' | 'complex';

/** One validated item of personMappings or contractMappings. */
export interface SourceRule {
  /** The dotted name in the output (`Name.FamilyName`). */
  name: string;
  path: string[];
  mode: SourceMode;
  /** A dotted path into the raw object (field), the literal (fixed) or the script (complex). */
  value: unknown;
  required: boolean;
}

/** A validated source mapping. */
export interface SourceMapping {
  source: string;
  person: SourceRule[];
  contract: SourceRule[];
  timeoutMs: number | undefined;
}

export type MappedContract = Record<string, unknown>;
export type MappedPerson = Record<string, unknown> & { Contracts: MappedContract[] };

export interface SourceMappingOptions {
  /** The time limit of one complex script in ms (default 1000). */
  timeoutMs?: number;
}

const itemSchema = z.looseObject({
  name: z.string().trim().min(1),
  mode: z.string(),
  value: z.unknown().optional(),
  validation: z.looseObject({ required: z.boolean().nullish() }).nullish(),
});

const sourceMappingSchema = z.looseObject({
  personMappings: z.array(itemSchema).default([]),
  contractMappings: z.array(itemSchema).default([]),
});

type RawItem = z.infer<typeof itemSchema>;
type ListName = 'personMappings' | 'contractMappings';

const MODES: SourceMode[] = ['field', 'fixed', 'complex'];
const FORBIDDEN_STEPS = new Set(['__proto__', 'prototype', 'constructor']);

/** Reads and validates a source mapping.json; a malformed item is refused naming it. */
export function loadSourceMapping(file: string, options: SourceMappingOptions = {}): SourceMapping {
  return parseSourceMapping(readJsonFile(file, 'source mapping'), file, options);
}

/** Validates the parsed JSON of a source mapping.json; `source` names it in messages. */
export function parseSourceMapping(
  raw: unknown,
  source: string,
  options: SourceMappingOptions = {},
): SourceMapping {
  const result = sourceMappingSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the top level';
    throw new MappingError(
      itemName(raw, issue?.path ?? []),
      `The source mapping ${source} is invalid at ${where}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  const person = readList(result.data.personMappings, 'personMappings', source);
  const contract = readList(result.data.contractMappings, 'contractMappings', source);
  const clash = person.find((rule) => rule.path[0] === 'Contracts');
  if (clash) throw itemError(clash.name, 'personMappings', source, 'collides with Contracts');
  return { source, person, contract, timeoutMs: options.timeoutMs };
}

/** Maps one raw person and its raw contracts (`Contracts`) through the mapping. */
export function mapPerson(mapping: SourceMapping, rawPerson: unknown): MappedPerson {
  const [mapped] = mapPersons(mapping, [rawPerson]);
  if (!mapped) throw new InputError('The person could not be mapped.');
  return mapped;
}

/** mapPerson for many persons, sharing one sandbox run (much faster per person). */
export function mapPersons(mapping: SourceMapping, rawPersons: unknown[]): MappedPerson[] {
  const persons = rawPersons.map((raw, index) => asRawPerson(raw, index));
  const scripted = runComplex(mapping, persons);
  return persons.map((person, index) => buildPerson(mapping, person, scripted[index]!));
}

interface RawPerson {
  raw: Record<string, unknown>;
  contracts: Record<string, unknown>[];
  label: string;
}

/** Complex values of one person: its own, and per contract. */
interface Scripted {
  person: unknown[];
  contracts: unknown[][];
}

function readList(items: RawItem[], list: ListName, source: string): SourceRule[] {
  const rules = items.map((item) => readItem(item, list, source));
  const names = new Set(rules.map((rule) => rule.name));
  for (const rule of rules) {
    if (rules.filter((other) => other.name === rule.name).length > 1) {
      throw itemError(rule.name, list, source, 'is mapped twice');
    }
    for (let i = 1; i < rule.path.length; i += 1) {
      const parent = rule.path.slice(0, i).join('.');
      if (names.has(parent)) {
        throw itemError(rule.name, list, source, `collides with the mapping of ${parent}`);
      }
    }
  }
  return rules;
}

function readItem(item: RawItem, list: ListName, source: string): SourceRule {
  const name = item.name.trim();
  const path = name.split('.');
  if (path.some((step) => step.trim() === '' || FORBIDDEN_STEPS.has(step))) {
    throw itemError(name, list, source, 'is not a valid dotted name');
  }
  const mode = MODES.find((m) => m === item.mode.trim().toLowerCase());
  if (!mode) throw itemError(name, list, source, `has an unknown mode "${item.mode}"`);

  const value = item.value ?? null;
  if (mode !== 'fixed' && (typeof value !== 'string' || value.trim() === '')) {
    const what = mode === 'field' ? 'a dotted path' : 'a script';
    throw itemError(name, list, source, `needs ${what} as its value`);
  }
  if (mode === 'complex') compileScript(name, value as string);
  const required = item.validation?.required === true;
  return { name, path, mode, value, required };
}

function asRawPerson(raw: unknown, index: number): RawPerson {
  if (!isObject(raw)) throw new InputError(`Source person number ${index + 1} is not an object.`);
  const contracts = getKey(raw, 'Contracts') ?? [];
  const label = describePerson(raw);
  if (!Array.isArray(contracts) || !contracts.every(isObject)) {
    throw new InputError(`The Contracts of ${label} are not a list of objects.`);
  }
  return { raw, contracts, label };
}

function describePerson(raw: Record<string, unknown>): string {
  const id = getKey(raw, 'ExternalId');
  const name = getKey(raw, 'DisplayName');
  const idText = id === undefined || id === null ? '(without ExternalId)' : String(id);
  return typeof name === 'string' && name ? `person ${idText} (${name})` : `person ${idText}`;
}

/** Runs every complex script of every person in one sandbox run. */
function runComplex(mapping: SourceMapping, persons: RawPerson[]): Scripted[] {
  const personScripts = mapping.person.filter((rule) => rule.mode === 'complex');
  const contractScripts = mapping.contract.filter((rule) => rule.mode === 'complex');
  const empty = (person: RawPerson): Scripted => ({
    person: [],
    contracts: person.contracts.map(() => []),
  });
  if (personScripts.length + contractScripts.length === 0) return persons.map(empty);

  // A person frame sets `source` for the contract frames that follow it.
  const frames: ScriptFrame[] = [];
  const owners: { person: number; contract: number }[] = [];
  persons.forEach((person, index) => {
    frames.push({ group: 0, values: [person.raw, null] });
    owners.push({ person: index, contract: -1 });
    if (contractScripts.length === 0) return;
    person.contracts.forEach((contract, contractIndex) => {
      frames.push({ group: 1, values: [contract] });
      owners.push({ person: index, contract: contractIndex });
    });
  });
  const groups = [
    { globals: ['source', 'sourceContract'], scripts: personScripts.map(asScript) },
    { globals: ['sourceContract'], scripts: contractScripts.map(asScript) },
  ];

  let values: unknown[][];
  try {
    values = sandboxFor(mapping).run(groups, frames);
  } catch (error) {
    throw withOwner(error, owners, persons);
  }
  const scripted = persons.map(empty);
  owners.forEach((owner, frame) => {
    const target = scripted[owner.person]!;
    if (owner.contract < 0) target.person = values[frame] ?? [];
    else target.contracts[owner.contract] = values[frame] ?? [];
  });
  return scripted;
}

function asScript(rule: SourceRule): { field: string; source: string } {
  return { field: rule.name, source: rule.value as string };
}

function withOwner(
  error: unknown,
  owners: { person: number; contract: number }[],
  persons: RawPerson[],
): unknown {
  if (!(error instanceof ScriptError)) return error;
  const owner = owners[error.frame];
  const person = owner && persons[owner.person];
  if (!owner || !person) return error;
  const contract = person.contracts[owner.contract];
  const where = contract ? `contract ${contractLabel(contract, owner.contract)} of ` : '';
  return new MappingError(
    error.field,
    error.message.replace(/\.?$/, ` (for ${where}${person.label}).`),
    {
      cause: error,
    },
  );
}

function contractLabel(raw: Record<string, unknown>, index: number): string {
  const id = getKey(raw, 'ExternalId');
  return id === undefined || id === null ? `number ${index + 1}` : String(id);
}

function buildPerson(mapping: SourceMapping, person: RawPerson, scripted: Scripted): MappedPerson {
  const body = applyRules(mapping.person, person.raw, scripted.person, person.label, '');
  const externalId = fallback(body.ExternalId, getKey(person.raw, 'ExternalId'));
  if (isEmpty(externalId)) {
    throw new MappingError('ExternalId', `The mapping gives ${person.label} no ExternalId.`);
  }
  const displayName = fallback(body.DisplayName, getKey(person.raw, 'DisplayName'));

  const contracts = person.contracts.map((raw, index) =>
    buildContract(mapping, raw, index, scripted.contracts[index] ?? [], person.label),
  );
  checkUniqueContracts(contracts, person.label);

  // ExternalId and DisplayName first, for people reading the output.
  const head: Record<string, unknown> = { ExternalId: externalId };
  if (!isEmpty(displayName)) head.DisplayName = displayName;
  return { ...head, ...body, ...head, Contracts: contracts };
}

function buildContract(
  mapping: SourceMapping,
  raw: Record<string, unknown>,
  index: number,
  scripted: unknown[],
  personLabel: string,
): MappedContract {
  const where = `contract ${contractLabel(raw, index)} of `;
  const body = applyRules(mapping.contract, raw, scripted, personLabel, where);
  const externalId = fallback(body.ExternalId, getKey(raw, 'ExternalId'));
  if (isEmpty(externalId)) {
    throw new MappingError('ExternalId', `The mapping gives ${where}${personLabel} no ExternalId.`);
  }
  const contract: MappedContract = { ExternalId: externalId, ...body };
  contract.ExternalId = externalId;
  return contract;
}

/** Applies the rules of one list to one raw object; complex values come in rule order. */
function applyRules(
  rules: SourceRule[],
  raw: Record<string, unknown>,
  scripted: unknown[],
  personLabel: string,
  where: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let next = 0;
  for (const rule of rules) {
    const value = rule.mode === 'complex' ? scripted[next++] : plainValue(rule, raw);
    if (rule.required && isEmpty(value)) {
      throw new MappingError(
        rule.name,
        `The required field ${rule.name} is empty for ${where}${personLabel}.`,
      );
    }
    setPath(out, rule.path, value ?? null);
  }
  return out;
}

function plainValue(rule: SourceRule, raw: Record<string, unknown>): unknown {
  const value = rule.mode === 'fixed' ? rule.value : getPath(raw, rule.value as string);
  return value !== null && typeof value === 'object' ? structuredClone(value) : value;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const step of path.slice(0, -1)) {
    const child = node[step];
    if (isObject(child)) {
      node = child;
    } else {
      const created: Record<string, unknown> = {};
      node[step] = created;
      node = created;
    }
  }
  node[path[path.length - 1]!] = value;
}

function checkUniqueContracts(contracts: MappedContract[], personLabel: string): void {
  const seen = new Set<string>();
  for (const contract of contracts) {
    const id = String(contract.ExternalId);
    if (seen.has(id)) {
      throw new MappingError(
        'ExternalId',
        `The mapping gives two contracts of ${personLabel} the same ExternalId ${id}; ` +
          'contract ExternalIds must be unique.',
      );
    }
    seen.add(id);
  }
}

function fallback(mapped: unknown, raw: unknown): unknown {
  return mapped === undefined ? (raw ?? null) : mapped;
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && !value.trim());
}

const GLOBALS = ['source', 'sourceContract'];
const sandboxes = new WeakMap<SourceMapping, Sandbox>();

function sandboxFor(mapping: SourceMapping): Sandbox {
  let sandbox = sandboxes.get(mapping);
  if (!sandbox) {
    sandbox = new Sandbox({ globals: GLOBALS, timeoutMs: mapping.timeoutMs });
    sandboxes.set(mapping, sandbox);
  }
  return sandbox;
}

function itemError(name: string, list: ListName, source: string, problem: string): MappingError {
  return new MappingError(name, `The mapping of ${name} in ${list} of ${source} ${problem}.`);
}

/** The name of the item a schema problem concerns, when it has one. */
function itemName(raw: unknown, path: PropertyKey[]): string {
  const [list, index] = path;
  if (!isObject(raw) || typeof list !== 'string' || typeof index !== 'number') return '(file)';
  const items = raw[list];
  const item = Array.isArray(items) ? (items[index] as unknown) : undefined;
  return isObject(item) && typeof item.name === 'string' && item.name ? item.name : '(file)';
}
