/**
 * Benchmark: the Data of 10 000 persons through a field mapping with five Complex fields.
 *
 * Run it with `npm run bench:mapping`, which bundles this file with esbuild into
 * dist/bench/mapping.mjs and runs that with node. Options: `--persons N` (default 10000).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  computeData,
  computeDataForMany,
  parseFieldMapping,
  type MappingInput,
} from '../src/mapping/target.js';

const FIXTURE = path.resolve('fixtures/fieldMapping.json');
const MAX_LOOP_MS = 60_000;

interface RawField {
  Name: string;
  Type: string;
  MappingActions: { MapForActions: string[]; MappingMode: string; Value: string }[];
}

function complexField(name: string, script: string): RawField {
  const action = { MapForActions: ['Create', 'Update'], MappingMode: 'Complex', Value: '' };
  return {
    Name: name,
    Type: 'Text',
    MappingActions: [{ ...action, Value: JSON.stringify(script) }],
  };
}

/** The fixture mapping (two Complex fields) plus three Complex fields of our own. */
function benchMapping() {
  const raw = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { MappingFields: RawField[] };
  raw.MappingFields.push(
    complexField('displayName', 'Person.Name.NickName + " " + Person.Name.FamilyName'),
    complexField(
      'initials',
      'function initials(given) {\n  return given.split(" ").map(function (part) {\n' +
        '    return part.charAt(0).toUpperCase() + ".";\n  }).join("");\n}\n' +
        'initials(Person.Name.GivenName);',
    ),
    complexField(
      'department',
      'var inScope = Person.Contracts.filter(function (c) { return c.Context.InConditions; });\n' +
        'inScope.length ? inScope[0].Department.ExternalId : null;',
    ),
  );
  const mapping = parseFieldMapping(raw, 'bench mapping');
  const complex = mapping.fields.filter((f) => f.rules.get('create')?.mode === 'Complex');
  return { mapping, complexCount: complex.length, fieldCount: mapping.fields.length };
}

const CONVENTIONS = ['B', 'BP', 'P', 'PB'];

function person(n: number): MappingInput {
  const id = String(100000 + n);
  return {
    Person: {
      ExternalId: id,
      DisplayName: `Medewerker ${id}`,
      Name: {
        GivenName: `Anna Maria ${n}`,
        NickName: `Anna${n}`,
        FamilyName: `Jansen${n % 97}`,
        FamilyNamePrefix: n % 3 === 0 ? 'van der' : '',
        FamilyNamePartner: n % 2 === 0 ? `Bakker${n % 31}` : null,
        FamilyNamePartnerPrefix: n % 4 === 0 ? 'de' : null,
        Convention: CONVENTIONS[n % CONVENTIONS.length],
      },
      Contact: { Business: { Email: `A.Jansen${n}@zorggroep-oost.nl` } },
      Accounts:
        n % 5 === 0 ? {} : { MicrosoftActiveDirectory: { mail: `a.jansen${n}@zorggroep-oost.nl` } },
      Contracts: [
        {
          ExternalId: `${id}-1`,
          StartDate: '2020-01-01T00:00:00',
          EndDate: null,
          Department: { ExternalId: `ZRG-${n % 40}`, DisplayName: `Team ${n % 40}` },
          Title: { Code: 'VPK', Name: 'Verpleegkundige' },
          Context: { InConditions: n % 7 !== 0 },
        },
        {
          ExternalId: `${id}-2`,
          StartDate: '2024-01-01T00:00:00',
          EndDate: '2026-12-31T00:00:00',
          Department: { ExternalId: `FAC-${n % 5}`, DisplayName: 'Facilitair' },
          Title: { Code: 'MDW', Name: 'Medewerker' },
          Context: { InConditions: true },
        },
      ],
    },
    Manager: { ExternalId: '1005', DisplayName: 'René Smit' },
  };
}

/** Wall-clock and CPU time of `work`; the CPU time says more on a busy machine. */
function measure(label: string, count: number, work: () => number): void {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const done = work() || count;
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  report(`${label} (${done})`, ms, (used.user + used.system) / 1000, done);
}

function report(label: string, ms: number, cpuMs: number, count: number): void {
  const each = (value: number) => `${((value * 1000) / count).toFixed(1)} µs`;
  console.log(
    `  ${label.padEnd(42)} ${ms.toFixed(0).padStart(6)} ms wall (${each(ms)} per person), ` +
      `${cpuMs.toFixed(0)} ms CPU (${each(cpuMs)})`,
  );
}

function main(): void {
  const flag = process.argv.indexOf('--persons');
  const count = flag >= 0 ? Number(process.argv[flag + 1]) : 10_000;
  if (!Number.isInteger(count) || count < 1) throw new Error('--persons needs a whole number');

  const { mapping, complexCount, fieldCount } = benchMapping();
  const inputs = Array.from({ length: count }, (_, n) => person(n));
  console.log(`${count} persons, ${fieldCount} fields (${complexCount} Complex), action Create`);

  let results: Record<string, unknown>[] = [];
  measure('computeDataForMany, first run', count, () => {
    results = computeDataForMany(mapping, 'Create', inputs);
    return results.length;
  });
  measure('computeDataForMany, second run', count, () => {
    return computeDataForMany(mapping, 'Create', inputs).length;
  });

  // What a caller gets when it maps one person per call (the target CLI does, once per process).
  measure('computeData, one call per person', count, () => {
    const started = performance.now();
    let done = 0;
    while (done < count && performance.now() - started < MAX_LOOP_MS) {
      computeData(mapping, 'Create', inputs[done]!);
      done += 1;
    }
    return done;
  });

  console.log('  sample:', JSON.stringify(results[4]));
}

main();
