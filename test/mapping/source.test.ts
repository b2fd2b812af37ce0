import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, MappingError } from '../../src/errors.js';
import {
  loadSourceMapping,
  mapPerson,
  mapPersons,
  parseSourceMapping,
  type SourceMapping,
} from '../../src/mapping/source.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');
const fixture = loadSourceMapping(path.join(FIXTURES, 'mapping.json'));

/** A raw person as `inplanning source persons` reads it from the rosters. */
function rawPerson(overrides: Record<string, unknown> = {}) {
  return {
    ExternalId: 'E1001',
    DisplayName: 'Anna de Vries',
    FirstName: 'Anna',
    LastName: 'de Vries',
    Email: 'anna.devries@zkh.nl',
    Contracts: [
      {
        ExternalId: 'E1001/2026-03-28/a81d',
        RosterDate: '2026-03-28',
        StartDate: '2026-03-28T22:00:00+01:00',
        EndDate: '2026-03-29T07:00:00+02:00',
        AccessStartDate: '2026-03-28T21:00:00+01:00',
        AccessEndDate: '2026-03-29T07:30:00+02:00',
        Shift: { Code: '22:00-07:00 Nacht', Name: 'Nacht' },
        Group: { ExternalId: 'ICU-N', DisplayName: 'Intensive care nacht', Code: 'K-210' },
        Function: { Code: 'VPK', Name: 'Verpleegkundige' },
      },
      {
        ExternalId: 'E1001/2026-03-29/ab19',
        RosterDate: '2026-03-29',
        StartDate: '2026-03-29T07:00:00+02:00',
        EndDate: '2026-03-29T15:30:00+02:00',
        Shift: { Code: 'Vroeg', Name: 'Vroeg' },
        Group: { ExternalId: 'ICU', DisplayName: 'Intensive care', Code: null },
        Function: null,
      },
    ],
    ...overrides,
  };
}

interface Item {
  name: string;
  mode: string;
  value?: unknown;
  validation?: { required: boolean };
}

function item(name: string, mode: string, value: unknown, required = false): Item {
  return { name, mode, value, validation: { required } };
}

function mappingOf(personMappings: Item[], contractMappings: Item[] = []): SourceMapping {
  return parseSourceMapping({ personMappings, contractMappings }, 'test mapping', {
    timeoutMs: 100,
  });
}

function refusal(raw: unknown): MappingError {
  try {
    parseSourceMapping(raw, 'test mapping');
  } catch (error) {
    expect(error).toBeInstanceOf(MappingError);
    return error as MappingError;
  }
  throw new Error('expected the mapping to be refused');
}

function failure(action: () => unknown): MappingError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(MappingError);
    return error as MappingError;
  }
  throw new Error('expected the mapping to fail');
}

describe('the fixture mapping.json', () => {
  it('maps a raw person and its shifts into the person schema', () => {
    const mapped = mapPerson(fixture, rawPerson());

    expect(mapped).toEqual({
      ExternalId: 'E1001',
      DisplayName: 'Anna de Vries',
      Name: {
        GivenName: 'Anna',
        NickName: 'Anna',
        FamilyName: 'de Vries',
        Initials: 'A.',
        Convention: 'B',
      },
      Contact: { Business: { Email: 'anna.devries@zkh.nl' } },
      Contracts: [
        {
          ExternalId: 'E1001/2026-03-28/a81d',
          StartDate: '2026-03-28T22:00:00+01:00',
          EndDate: '2026-03-29T07:00:00+02:00',
          Department: { ExternalId: 'ICU-N', DisplayName: 'Intensive care nacht', Code: 'K-210' },
          Title: { Code: 'VPK', Name: 'Verpleegkundige' },
          Custom: {
            RosterDate: '2026-03-28',
            AccessStartDate: '2026-03-28T21:00:00+01:00',
            AccessEndDate: '2026-03-29T07:30:00+02:00',
            Shift: 'Nacht (22:00-07:00 Nacht)',
          },
        },
        {
          ExternalId: 'E1001/2026-03-29/ab19',
          StartDate: '2026-03-29T07:00:00+02:00',
          EndDate: '2026-03-29T15:30:00+02:00',
          Department: { ExternalId: 'ICU', DisplayName: 'Intensive care', Code: null },
          Title: { Code: null, Name: null },
          Custom: {
            RosterDate: '2026-03-29',
            AccessStartDate: null,
            AccessEndDate: null,
            Shift: 'Vroeg',
          },
        },
      ],
    });
  });

  it('maps a person without contracts', () => {
    const mapped = mapPerson(fixture, rawPerson({ Contracts: undefined }));
    expect(mapped.Contracts).toEqual([]);
    expect(mapped.ExternalId).toBe('E1001');
  });

  it('names the person and the field that a required value is missing from', () => {
    const error = failure(() => mapPerson(fixture, rawPerson({ LastName: '  ' })));
    expect(error.field).toBe('Name.FamilyName');
    expect(error.message).toBe(
      'The required field Name.FamilyName is empty for person E1001 (Anna de Vries).',
    );
  });

  it('names the contract as well for a required contract value', () => {
    const person = rawPerson();
    delete (person.Contracts[1] as Record<string, unknown>).EndDate;
    const error = failure(() => mapPerson(fixture, person));
    expect(error.field).toBe('EndDate');
    expect(error.message).toBe(
      'The required field EndDate is empty for contract E1001/2026-03-29/ab19 of person E1001 ' +
        '(Anna de Vries).',
    );
  });
});

describe('mapPerson modes', () => {
  it('reads field paths from the raw person or the raw contract, case-insensitively', () => {
    const mapping = mappingOf(
      [item('ExternalId', 'field', 'externalid'), item('Custom.Mail', 'field', 'EMAIL')],
      [
        item('ExternalId', 'field', 'ExternalId'),
        item('Location.Name', 'field', 'group.displayname'),
      ],
    );
    const mapped = mapPerson(mapping, rawPerson());

    expect(mapped.Custom).toEqual({ Mail: 'anna.devries@zkh.nl' });
    expect(mapped.Contracts.map((c) => c.Location)).toEqual([
      { Name: 'Intensive care nacht' },
      { Name: 'Intensive care' },
    ]);
  });

  it('gives null for a path through missing objects', () => {
    const mapping = mappingOf(
      [item('Custom.Deep', 'field', 'Address.Street.Name')],
      [item('Title.Name', 'field', 'Function.Name')],
    );
    const mapped = mapPerson(mapping, rawPerson());
    expect(mapped.Custom).toEqual({ Deep: null });
    expect(mapped.Contracts[1]?.Title).toEqual({ Name: null });
  });

  it('gives fixed values as they are written', () => {
    const mapping = mappingOf([
      item('Name.Convention', 'fixed', 'BP'),
      item('Custom.Count', 'fixed', 3),
      item('Custom.Nothing', 'fixed', undefined),
    ]);
    const mapped = mapPerson(mapping, rawPerson());
    expect(mapped.Name).toEqual({ Convention: 'BP' });
    expect(mapped.Custom).toEqual({ Count: 3, Nothing: null });
  });

  it('runs complex scripts with source, and sourceContract for contracts', () => {
    const mapping = mappingOf(
      [
        item('Custom.Shifts', 'complex', 'source.Contracts.length'),
        item('Custom.NoContract', 'complex', 'sourceContract === null'),
      ],
      [
        item('ExternalId', 'complex', 'source.ExternalId + "#" + sourceContract.RosterDate'),
        item('Custom.Who', 'complex', 'source.FirstName + " @ " + sourceContract.Group.ExternalId'),
      ],
    );
    const mapped = mapPerson(mapping, rawPerson());

    expect(mapped.Custom).toEqual({ Shifts: 2, NoContract: true });
    expect(mapped.Contracts).toEqual([
      { ExternalId: 'E1001#2026-03-28', Custom: { Who: 'Anna @ ICU-N' } },
      { ExternalId: 'E1001#2026-03-29', Custom: { Who: 'Anna @ ICU' } },
    ]);
  });

  it('takes ExternalId and DisplayName from the raw objects when not mapped', () => {
    const mapping = mappingOf(
      [item('Name.FamilyName', 'field', 'LastName')],
      [item('Custom.Day', 'field', 'RosterDate')],
    );
    const mapped = mapPerson(mapping, rawPerson());

    expect(Object.keys(mapped)).toEqual(['ExternalId', 'DisplayName', 'Name', 'Contracts']);
    expect(mapped.ExternalId).toBe('E1001');
    expect(mapped.Contracts[0]).toEqual({
      ExternalId: 'E1001/2026-03-28/a81d',
      Custom: { Day: '2026-03-28' },
    });
  });

  it('fails when a person or contract ends up without an ExternalId', () => {
    const mapping = mappingOf([item('ExternalId', 'field', 'Missing')]);
    expect(failure(() => mapPerson(mapping, rawPerson())).message).toBe(
      'The mapping gives person E1001 (Anna de Vries) no ExternalId.',
    );
    const contracts = mappingOf([], [item('ExternalId', 'fixed', '')]);
    expect(failure(() => mapPerson(contracts, rawPerson())).message).toContain(
      'gives contract E1001/2026-03-28/a81d of person E1001 (Anna de Vries) no ExternalId',
    );
  });

  it('fails when two contracts of a person get the same ExternalId', () => {
    const mapping = mappingOf(
      [],
      [item('ExternalId', 'field', 'Group.Code'), item('X', 'fixed', 1)],
    );
    const person = rawPerson();
    (person.Contracts[1]!.Group as Record<string, unknown>).Code = 'K-210';
    expect(failure(() => mapPerson(mapping, person)).message).toContain(
      'two contracts of person E1001 (Anna de Vries) the same ExternalId K-210',
    );
  });

  it('names the field, contract and person when a complex script fails', () => {
    const mapping = mappingOf([], [item('Title.Name', 'complex', 'sourceContract.Function.Name')]);
    const error = failure(() => mapPerson(mapping, rawPerson()));
    expect(error.field).toBe('Title.Name');
    expect(error.message).toMatch(/^The mapping script of field "Title.Name" failed: TypeError: /);
    expect(error.message).toMatch(
      /\(for contract E1001\/2026-03-29\/ab19 of person E1001 \(Anna de Vries\)\)\.$/,
    );
  });

  it('stops a complex script that loops forever', () => {
    const mapping = mappingOf([item('Custom.Spin', 'complex', 'while (true) {}')]);
    expect(() => mapPerson(mapping, rawPerson())).toThrow(
      /"Custom.Spin" did not finish within 100 ms/,
    );
  });

  it('refuses a raw person that is not an object, or whose contracts are not a list', () => {
    expect(() => mapPerson(fixture, 'E1001')).toThrow(InputError);
    expect(() => mapPerson(fixture, rawPerson({ Contracts: { a: 1 } }))).toThrow(
      'The Contracts of person E1001 (Anna de Vries) are not a list of objects.',
    );
  });
});

describe('mapPersons', () => {
  it('maps many persons in one go, keeping each person with its own contracts', () => {
    const raws = Array.from({ length: 200 }, (_, n) =>
      rawPerson({
        ExternalId: `E${n}`,
        FirstName: `Name${n}`,
        Contracts: [
          {
            ExternalId: `C${n}`,
            StartDate: 's',
            EndDate: 'e',
            Group: { ExternalId: `G${n}` },
            Shift: { Name: 'Laat', Code: 'Laat' },
          },
        ],
      }),
    );
    const mapped = mapPersons(fixture, raws);

    expect(mapped).toHaveLength(200);
    expect(mapped[137]?.Name).toMatchObject({ GivenName: 'Name137', Initials: 'N.' });
    expect(mapped[137]?.Contracts).toEqual([
      expect.objectContaining({
        ExternalId: 'C137',
        Department: expect.objectContaining({ ExternalId: 'G137' }),
        Custom: expect.objectContaining({ Shift: 'Laat' }),
      }),
    ]);
  });
});

describe('parseSourceMapping refusals', () => {
  it('names an item with an unknown mode', () => {
    const error = refusal({ personMappings: [item('Name.FamilyName', 'script', 'x')] });
    expect(error.field).toBe('Name.FamilyName');
    expect(error.message).toContain('unknown mode "script"');
  });

  it('names an item mapped twice or colliding with another', () => {
    const twice = refusal({
      personMappings: [item('ExternalId', 'field', 'a'), item('ExternalId', 'field', 'b')],
    });
    expect(twice.message).toContain('ExternalId in personMappings of test mapping is mapped twice');

    const collide = refusal({
      contractMappings: [item('Department', 'field', 'a'), item('Department.Code', 'field', 'b')],
    });
    expect(collide.field).toBe('Department.Code');
    expect(collide.message).toContain('collides with the mapping of Department');

    const contracts = refusal({ personMappings: [item('Contracts', 'field', 'Contracts')] });
    expect(contracts.message).toContain('collides with Contracts');
  });

  it('names an item with a missing path, a broken script or a bad name', () => {
    expect(refusal({ personMappings: [item('Custom.X', 'field', '')] }).message).toContain(
      'needs a dotted path',
    );
    expect(refusal({ personMappings: [item('Custom.X', 'complex', 'if (')] }).field).toBe(
      'Custom.X',
    );
    expect(refusal({ personMappings: [item('Custom..X', 'fixed', 1)] }).message).toContain(
      'not a valid dotted name',
    );
    expect(refusal({ personMappings: [item('__proto__.x', 'fixed', 1)] }).field).toBe(
      '__proto__.x',
    );
  });

  it('names the item that breaks the schema', () => {
    const error = refusal({ contractMappings: [{ name: 'StartDate', mode: 7 }] });
    expect(error.field).toBe('StartDate');
    expect(error.message).toContain('contractMappings.0.mode');
    expect(refusal({ personMappings: 'x' }).field).toBe('(file)');
  });
});
