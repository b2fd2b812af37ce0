import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, MappingError } from '../../src/errors.js';
import {
  computeData,
  computeDataForMany,
  loadFieldMapping,
  parseFieldMapping,
  parseMappingAction,
  type FieldMapping,
} from '../../src/mapping/target.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');
const person = JSON.parse(readFileSync(path.join(FIXTURES, 'person.json'), 'utf8')) as Record<
  string,
  unknown
>;
const fixture = loadFieldMapping(path.join(FIXTURES, 'fieldMapping.json'));

type Mode = 'Field' | 'Fixed' | 'Complex' | 'None' | string;
interface FieldSpec {
  Name: string;
  Type?: string;
  actions: [string[], Mode, unknown][];
}

/** A fieldMapping.json as the engine exports it, with every Value JSON-encoded again. */
function rawMapping(...fields: FieldSpec[]) {
  return {
    Version: 'v1',
    MappingFields: fields.map((field) => ({
      Name: field.Name,
      Description: '',
      Type: field.Type ?? 'Text',
      MappingActions: field.actions.map(([actions, mode, value]) => ({
        MapForActions: actions,
        MappingMode: mode,
        Value: typeof value === 'string' ? JSON.stringify(value) : value,
        UsedInNotifications: false,
        StoreInAccountData: false,
      })),
    })),
    UniqueFieldNames: [],
  };
}

function mappingOf(...fields: FieldSpec[]): FieldMapping {
  return parseFieldMapping(rawMapping(...fields), 'test mapping', { timeoutMs: 100 });
}

function refusal(raw: unknown): MappingError {
  try {
    parseFieldMapping(raw, 'test mapping');
  } catch (error) {
    expect(error).toBeInstanceOf(MappingError);
    return error as MappingError;
  }
  throw new Error('expected the mapping to be refused');
}

describe('the fixture fieldMapping.json', () => {
  it.each([
    [
      'Create',
      {
        username: '1007',
        firstName: 'Chloë',
        lastName: 'de Jong - van den Berg',
        email: 'chloe.dejong@zorggroep-oost.nl',
        active: 'True',
        userGroup: 'Root',
        resource: '1007',
      },
    ],
    [
      'Update',
      {
        username: '1007',
        firstName: 'Chloë',
        lastName: 'de Jong - van den Berg',
        email: 'chloe.dejong@zorggroep-oost.nl',
      },
    ],
    ['Enable', { active: 'True' }],
    ['Disable', { active: 'False' }],
    ['Delete', {}],
  ])('gives the fixture person the Data of %s', (action, expected) => {
    expect(computeData(fixture, action, { Person: person, Manager: {} })).toEqual(expected);
  });

  it('takes the e-mail from the business address until the directory stored one', () => {
    const withoutAccounts = { ...person, Accounts: undefined };
    const data = computeData(fixture, 'Update', { Person: withoutAccounts });
    expect(data.email).toBe('chloe.dejong@zorggroep-oost.nl');

    const stored = { ...person, Accounts: { MicrosoftActiveDirectory: { mail: 'C.Jong@AD.nl ' } } };
    expect(computeData(fixture, 'Update', { Person: stored }).email).toBe('c.jong@ad.nl');
  });

  it('matches the action whatever its case', () => {
    expect(computeData(fixture, 'disable', { Person: person })).toEqual({ active: 'False' });
    expect(computeData(fixture, ' ENABLE ', { Person: person })).toEqual({ active: 'True' });
  });
});

describe('last names by naming convention (the fixture script)', () => {
  const own = { FamilyName: 'Berg', FamilyNamePrefix: 'van den' };
  const partner = { FamilyNamePartner: 'Vries', FamilyNamePartnerPrefix: 'de' };

  function lastName(name: Record<string, unknown>): unknown {
    return computeData(fixture, 'Update', { Person: { ...person, Name: name } }).lastName;
  }

  it.each([
    ['B', { ...own, ...partner }, 'van den Berg'],
    ['BP', { ...own, ...partner }, 'van den Berg - de Vries'],
    ['P', { ...own, ...partner }, 'de Vries'],
    ['PB', { ...own, ...partner }, 'de Vries - van den Berg'],
  ])('writes convention %s with both prefixes', (convention, name, expected) => {
    expect(lastName({ ...name, Convention: convention })).toBe(expected);
  });

  it.each([
    ['B', 'Jansen'],
    ['BP', 'Jansen - Bakker'],
    ['P', 'Bakker'],
    ['PB', 'Bakker - Jansen'],
  ])('writes convention %s without prefixes', (convention, expected) => {
    const name = { FamilyName: 'Jansen', FamilyNamePartner: 'Bakker', Convention: convention };
    expect(lastName(name)).toBe(expected);
  });

  it.each([
    ['B', 'van den Berg'],
    ['BP', 'van den Berg'],
    ['P', 'van den Berg'],
    ['PB', 'van den Berg'],
  ])('falls back to the own name for %s without a partner name', (convention, expected) => {
    const name = {
      ...own,
      FamilyNamePartner: null,
      FamilyNamePartnerPrefix: 'de',
      Convention: convention,
    };
    expect(lastName(name)).toBe(expected);
  });

  it('mixes a prefix on one side only, ignores blanks and reads the convention in any case', () => {
    const name = {
      FamilyName: ' Jansen ',
      FamilyNamePrefix: '  ',
      FamilyNamePartner: 'Vries',
      FamilyNamePartnerPrefix: 'de',
      Convention: 'pb',
    };
    expect(lastName(name)).toBe('de Vries - Jansen');
    expect(lastName({ FamilyName: 'Jansen' })).toBe('Jansen');
  });
});

describe('computeData modes', () => {
  it('reads Field paths case-insensitively, from Person and Manager', () => {
    const mapping = mappingOf(
      { Name: 'nick', actions: [[['Create'], 'Field', 'Person.Name.NickName']] },
      {
        Name: 'mail',
        actions: [[['Create'], 'Field', 'person.accounts.microsoftactivedirectory.MAIL']],
      },
      { Name: 'boss', actions: [[['Create'], 'Field', 'Manager.DisplayName']] },
      {
        Name: 'second',
        actions: [[['Create'], 'Field', 'Person.Contracts.1.Department.ExternalId']],
      },
    );
    const data = computeData(mapping, 'Create', {
      Person: person,
      Manager: { DisplayName: 'René' },
    });

    expect(data).toEqual({
      nick: 'Chloë',
      mail: 'Chloe.deJong@zorggroep-oost.nl',
      boss: 'René',
      second: 'ZRG-CAR-3B',
    });
  });

  it('gives null for a Field path through missing objects', () => {
    const mapping = mappingOf(
      { Name: 'mail', actions: [[['Create'], 'Field', 'Person.Accounts.X.mail']] },
      { Name: 'boss', actions: [[['Create'], 'Field', 'Manager.Name.NickName']] },
      { Name: 'deep', actions: [[['Create'], 'Field', 'Person.Name.NickName.Length.More']] },
    );
    expect(computeData(mapping, 'Create', { Person: { Name: { NickName: 'A' } } })).toEqual({
      mail: null,
      boss: null,
      deep: null,
    });
  });

  it('copies objects a Field path gives, so Data cannot change the person', () => {
    const mapping = mappingOf({ Name: 'name', actions: [[['Create'], 'Field', 'Person.Name']] });
    const data = computeData(mapping, 'Create', { Person: person });
    (data.name as Record<string, unknown>).NickName = 'changed';
    expect((person.Name as Record<string, unknown>).NickName).toBe('Chloë');
  });

  it('gives Fixed values as the literal string, even True', () => {
    const mapping = mappingOf(
      { Name: 'active', actions: [[['Create'], 'Fixed', 'True']] },
      { Name: 'group', actions: [[['Create'], 'Fixed', 'Root']] },
      { Name: 'empty', actions: [[['Create'], 'Fixed', '']] },
    );
    expect(computeData(mapping, 'Create', {})).toEqual({
      active: 'True',
      group: 'Root',
      empty: '',
    });
  });

  it('runs Complex scripts with Person and Manager in scope', () => {
    const mapping = mappingOf(
      {
        Name: 'display',
        actions: [
          [['Update'], 'Complex', 'Person.Name.NickName + " (" + Manager.ExternalId + ")"'],
        ],
      },
      { Name: 'nothing', actions: [[['Update'], 'Complex', 'undefined']] },
    );
    const data = computeData(mapping, 'Update', {
      Person: person,
      Manager: { ExternalId: '1005' },
    });
    expect(data).toEqual({ display: 'Chloë (1005)', nothing: null });
  });

  it('leaves out fields of mode None and fields without a rule for the action', () => {
    const mapping = mappingOf(
      { Name: 'kept', actions: [[['Create', 'Update'], 'Fixed', 'x']] },
      { Name: 'none', actions: [[['Create'], 'None', '']] },
      { Name: 'onlyDelete', actions: [[['Delete'], 'Fixed', 'gone']] },
    );
    expect(computeData(mapping, 'Create', {})).toEqual({ kept: 'x' });
    expect(computeData(mapping, 'Update', {})).toEqual({ kept: 'x' });
    expect(computeData(mapping, 'Delete', {})).toEqual({ onlyDelete: 'gone' });
    expect(computeData(mapping, 'Enable', {})).toEqual({});
  });

  it('picks per field the rule of the action being run', () => {
    const mapping = mappingOf({
      Name: 'state',
      actions: [
        [['Create'], 'Fixed', 'new'],
        [['Update'], 'Field', 'Person.ExternalId'],
        [['Enable'], 'Complex', '"on"'],
        [['Disable', 'Delete'], 'Fixed', 'off'],
      ],
    });
    const results = ['Create', 'Update', 'Enable', 'Disable', 'Delete'].map(
      (action) => computeData(mapping, action, { Person: person }).state,
    );
    expect(results).toEqual(['new', '1007', 'on', 'off', 'off']);
  });

  it('lets only fields of type Array hold a list', () => {
    const mapping = mappingOf(
      {
        Name: 'teams',
        Type: 'Array',
        actions: [[['Create'], 'Complex', 'Person.Contracts.map(c => c.Team.Code)']],
      },
      { Name: 'single', Type: 'Array', actions: [[['Create'], 'Fixed', 'one']] },
    );
    expect(computeData(mapping, 'Create', { Person: person })).toEqual({
      teams: [null, '3B', '4A'],
      single: 'one',
    });

    const wrong = mappingOf({
      Name: 'teams',
      actions: [[['Create'], 'Field', 'Person.Contracts']],
    });
    expect(() => computeData(wrong, 'Create', { Person: person })).toThrow(
      /field "teams" .* gave a list, but only fields of type Array/,
    );
    const wrongScript = mappingOf({ Name: 'codes', actions: [[['Create'], 'Complex', '["a"]']] });
    expect(() => computeData(wrongScript, 'Create', {})).toThrow(MappingError);
  });

  it('refuses an action that is not one of the five', () => {
    expect(() => computeData(fixture, 'Grant', { Person: person })).toThrow(InputError);
    expect(parseMappingAction('update')).toBe('Update');
  });
});

describe('computeData failures', () => {
  it('fails naming the field when a Complex script throws', () => {
    const mapping = mappingOf(
      { Name: 'firstName', actions: [[['Create'], 'Field', 'Person.Name.NickName']] },
      {
        Name: 'email',
        actions: [
          [
            ['Create'],
            'Complex',
            'function getValue() {\r\n' +
              '  return Person.Accounts.MicrosoftActiveDirectory.mail;\r\n}\r\ngetValue();',
          ],
        ],
      },
    );
    let caught: unknown;
    try {
      computeData(mapping, 'Create', { Person: { Name: { NickName: 'A' } } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MappingError);
    expect((caught as MappingError).field).toBe('email');
    expect((caught as MappingError).message).toMatch(/"email" failed: TypeError/);
  });

  it('stops a Complex script that loops forever within the limit', () => {
    const mapping = mappingOf({ Name: 'spin', actions: [[['Create'], 'Complex', 'for (;;) {}']] });
    const started = Date.now();
    expect(() => computeData(mapping, 'Create', {})).toThrow(
      /field "spin" did not finish within 100 ms/,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('names the person when many are mapped at once', () => {
    const mapping = mappingOf({
      Name: 'mail',
      actions: [[['Create'], 'Complex', 'Person.Accounts.AD.mail']],
    });
    const inputs = [
      { Person: { ExternalId: 'ok', Accounts: { AD: { mail: 'a@b' } } } },
      { Person: { ExternalId: 'E42' } },
    ];
    expect(() => computeDataForMany(mapping, 'Create', inputs)).toThrow(
      /"mail" failed.*person E42/,
    );
  });
});

describe('computeDataForMany', () => {
  it('maps many persons through Field, Fixed and Complex rules in one go', () => {
    const persons = Array.from({ length: 250 }, (_, n) => ({
      Person: { ExternalId: String(n), Name: { FamilyName: `F${n}`, Convention: 'B' } },
    }));
    const results = computeDataForMany(fixture, 'Create', persons);

    expect(results).toHaveLength(250);
    expect(results[249]).toMatchObject({ username: '249', lastName: 'F249', resource: '249' });
    expect(results[0]?.email).toBeNull();
  });
});

describe('parseFieldMapping refusals', () => {
  it('names the field with an unknown mode', () => {
    const error = refusal(rawMapping({ Name: 'email', actions: [[['Create'], 'Script', 'x']] }));
    expect(error.field).toBe('email');
    expect(error.message).toContain('unknown MappingMode "Script"');
  });

  it('names a field mapped twice for one action', () => {
    const raw = rawMapping({
      Name: 'active',
      actions: [
        [['Create', 'Enable'], 'Fixed', 'True'],
        [['Disable', 'create'], 'Fixed', 'False'],
      ],
    });
    const error = refusal(raw);
    expect(error.field).toBe('active');
    expect(error.message).toContain('mapped twice for the action create');
  });

  it('names a field that appears twice', () => {
    const raw = rawMapping(
      { Name: 'active', actions: [[['Create'], 'Fixed', 'True']] },
      { Name: 'active', actions: [[['Disable'], 'Fixed', 'False']] },
    );
    expect(refusal(raw).message).toContain('Field "active" in test mapping appears twice');
  });

  it.each([
    ['plain text', 'Person.ExternalId'],
    ['a JSON number', '42'],
    ['a JSON object', '{"path":"Person.ExternalId"}'],
    ['not a string at all', 42],
    ['missing', undefined],
  ])('names the field whose Value is %s', (_what, value) => {
    const raw = rawMapping({ Name: 'username', actions: [[['Create'], 'Field', 'x']] });
    const action = raw.MappingFields[0]!.MappingActions[0]!;
    (action as Record<string, unknown>).Value = value;
    const error = refusal(raw);
    expect(error.field).toBe('username');
    expect(error.message).toContain('Value that is not a JSON-encoded string');
  });

  it('names a field whose path is not a person path', () => {
    const error = refusal(
      rawMapping({ Name: 'nick', actions: [[['Create'], 'Field', 'Name.NickName']] }),
    );
    expect(error.field).toBe('nick');
    expect(error.message).toContain('does not start with Person.');
  });

  it('names a field whose script does not compile or imports', () => {
    const broken = refusal(
      rawMapping({ Name: 'lastName', actions: [[['Create'], 'Complex', 'if (']] }),
    );
    expect(broken.field).toBe('lastName');
    expect(broken.message).toContain('not valid JavaScript');

    const importing = refusal(
      rawMapping({ Name: 'mail', actions: [[['Create'], 'Complex', 'import("fs")']] }),
    );
    expect(importing.field).toBe('mail');
  });

  it('names the field of an entry that breaks the schema', () => {
    const raw = rawMapping({ Name: 'email', actions: [[['Create'], 'Fixed', 'x']] });
    (raw.MappingFields[0]!.MappingActions[0] as Record<string, unknown>).MapForActions = 'Create';
    const error = refusal(raw);
    expect(error.field).toBe('email');
    expect(error.message).toContain('MappingFields.0.MappingActions.0.MapForActions');
  });

  it('refuses a file without MappingFields', () => {
    expect(refusal({ Version: 'v1' }).message).toContain('invalid at MappingFields');
    expect(refusal([]).message).toContain('invalid at the top level');
  });

  it('accepts None without a Value, and modes and types in any case', () => {
    const raw = rawMapping(
      { Name: 'a', Type: 'array', actions: [[['Create'], 'complex', '[1]']] },
      { Name: 'b', actions: [[['Create'], 'none', undefined]] },
    );
    const mapping = parseFieldMapping(raw, 'test mapping');
    expect(computeData(mapping, 'Create', {})).toEqual({ a: [1] });
  });
});

describe('loadFieldMapping', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'inplanning-mapping-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file with a byte-order mark', () => {
    const file = path.join(dir, 'bom.json');
    const raw = rawMapping({ Name: 'x', actions: [[['Create'], 'Fixed', 'y']] });
    writeFileSync(file, `\uFEFF${JSON.stringify(raw)}`);
    expect(computeData(loadFieldMapping(file), 'Create', {})).toEqual({ x: 'y' });
  });

  it('refuses a missing file and a file that is not JSON as input errors', () => {
    expect(() => loadFieldMapping(path.join(dir, 'missing.json'))).toThrow(InputError);
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{ "Version": ');
    expect(() => loadFieldMapping(file)).toThrow(/is not valid JSON/);
  });
});
