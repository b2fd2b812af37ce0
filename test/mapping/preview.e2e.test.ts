/**
 * `inplanning mapping preview` through the built CLI (run `npm run build` first; `npm test`
 * does). No settings and no network are involved.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'bin/inplanning.js');
const MAPPING = path.join(ROOT, 'fixtures/fieldMapping.json');
const PERSON = path.join(ROOT, 'fixtures/person.json');

let dir: string;

function preview(...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, 'mapping', 'preview', ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 15_000,
    env: { ...process.env, INPLANNING_BASE_URL: 'https://must-not-be-used.invalid' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Writes a fieldMapping.json with one field per entry of `fields`. */
function mappingFile(name: string, fields: Record<string, [string, string]>): string {
  const file = path.join(dir, name);
  const MappingFields = Object.entries(fields).map(([field, [mode, value]]) => ({
    Name: field,
    Type: 'Text',
    MappingActions: [
      { MapForActions: ['Create'], MappingMode: mode, Value: JSON.stringify(value) },
    ],
  }));
  writeFileSync(file, JSON.stringify({ Version: 'v1', MappingFields }));
  return file;
}

beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist/main.js'))) {
    throw new Error('The CLI is not built: run `npm run build` before this test.');
  }
  dir = mkdtempSync(path.join(os.tmpdir(), 'inplanning-preview-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inplanning mapping preview', () => {
  it('prints the Data of the action as one JSON object and exits 0', () => {
    const result = preview('--mapping', MAPPING, '--person', PERSON, '--action', 'Create');

    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(result.stdout)).toEqual({
      username: '1007',
      firstName: 'Chloë',
      lastName: 'de Jong - van den Berg',
      email: 'chloe.dejong@zorggroep-oost.nl',
      active: 'True',
      userGroup: 'Root',
      resource: '1007',
    });
    expect(result.stderr).toBe('');
  });

  it('takes the action in any case', () => {
    const result = preview('--mapping', MAPPING, '--person', PERSON, '--action', 'disable');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ active: 'False' });
  });

  it('exits 1 naming the field when a Complex script throws', () => {
    const file = mappingFile('throws.json', {
      firstName: ['Field', 'Person.Name.NickName'],
      email: ['Complex', 'function getValue() { return Person.Accounts.Nope.mail; }\ngetValue();'],
    });
    const result = preview('--mapping', file, '--person', PERSON, '--action', 'Create');

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^inplanning: The mapping script of field "email" failed: TypeError/,
    );
  });

  it('exits 1 when a script loops forever, after the time limit', () => {
    const file = mappingFile('loop.json', { spin: ['Complex', 'while (true) {}'] });
    const started = Date.now();
    const result = preview('--mapping', file, '--person', PERSON, '--action', 'Create');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('field "spin" did not finish within 1000 ms');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('is not ended by a script that leaves a rejected promise behind', () => {
    const file = mappingFile('async.json', {
      note: ['Complex', '(async function () { throw new Error("later"); })();\n"ok"'],
    });
    const result = preview('--mapping', file, '--person', PERSON, '--action', 'Create');

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ note: 'ok' });
  });

  it.each([
    [['--person', PERSON, '--action', 'Create'], 'The --mapping option is required'],
    [['--mapping', MAPPING, '--action', 'Create'], 'The --person option is required'],
    [['--mapping', MAPPING, '--person', PERSON], 'The --action option is required'],
    [
      ['--mapping', MAPPING, '--person', PERSON, '--action', 'Grant'],
      'The action "Grant" is not one',
    ],
    [['--mapping', 'missing.json', '--person', PERSON, '--action', 'Create'], 'does not exist'],
  ])('exits 2 with one sentence for wrong flags (%j)', (args, message) => {
    const result = preview(...args);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 naming the field of a malformed mapping', () => {
    const file = mappingFile('bad.json', { userGroup: ['Scripted', 'Root'] });
    const result = preview('--mapping', file, '--person', PERSON, '--action', 'Create');

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Field "userGroup"');
    expect(result.stderr).toContain('unknown MappingMode "Scripted"');
  });

  it('exits 2 when the person file is not one JSON object', () => {
    const list = path.join(dir, 'list.json');
    writeFileSync(list, '[]');
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"ExternalId": ');

    const notObject = preview('--mapping', MAPPING, '--person', list, '--action', 'Create');
    expect(notObject.code).toBe(2);
    expect(notObject.stderr).toContain('must hold one JSON object');

    const notJson = preview('--mapping', MAPPING, '--person', broken, '--action', 'Create');
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('is not valid JSON');
  });
});
