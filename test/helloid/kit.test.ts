/**
 * The HelloID integration kit. PowerShell cannot run here, so this covers the CLI side of the
 * round trip: each script calls the right command, the settings form has our settings' keys,
 * and the exact JSON the scripts send (as Windows PowerShell's ConvertTo-Json writes it) is
 * accepted by the built CLI against the simulator, whose answers carry what the scripts copy.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings, settingsSchema } from '../../src/config.js';
import { SettingsError } from '../../src/errors.js';
import { COMMANDS, TARGET_ACTIONS } from '../../src/cli/registry.js';
import { REPO_ROOT, runCli, type RunResult } from '../helpers/cli.js';
import { type RunningSimulator, startSimulator } from '../helpers/simulator.js';

const KIT = path.join(REPO_ROOT, 'helloid');
const MODULE = readFileSync(path.join(KIT, 'InPlanningConnector.psm1'), 'utf8');
const KIT_KEYS = ['ConnectorPath', 'NodePath', 'MappingFile', 'PermissionsFile', 'TimelineFile'];

/** Each script of the kit and the CLI actions it runs. */
const TARGET_SCRIPTS: Record<string, string[]> = {
  'create.ps1': ['create'],
  'update.ps1': ['update'],
  'enable.ps1': ['enable'],
  'disable.ps1': ['disable'],
  'delete.ps1': ['delete'],
  'grantPermission.ps1': ['grant'],
  'revokePermission.ps1': ['revoke'],
  'permissions.ps1': ['permissions'],
  'subPermissions.ps1': ['grant', 'revoke'],
  'import.ps1': ['import-accounts'],
  'importPermissions.ps1': ['import-permissions'],
};
const SOURCE_SCRIPTS: Record<string, string> = {
  'persons.ps1': 'persons',
  'departments.ps1': 'departments',
};

interface FormField {
  key: string;
  type: string;
  defaultValue: unknown;
  templateOptions: { label: string; description: string; required?: boolean; type?: string };
}
const FORM = JSON.parse(readFileSync(path.join(KIT, 'configuration.json'), 'utf8')) as FormField[];

function script(folder: 'target' | 'source', name: string): string {
  return readFileSync(path.join(KIT, folder, name), 'utf8');
}

/** The values of a PowerShell array literal assigned to `$script:<name>` in the module. */
function moduleList(name: string): string[] {
  const match = new RegExp(`\\$script:${name} = @\\(([^)]*)\\)`).exec(MODULE);
  if (!match) throw new Error(`the module has no list ${name}`);
  return [...match[1]!.matchAll(/'([^']+)'/g)].map((item) => item[1]!);
}

/** The ValidateSet of a module function's parameter. */
function validateSet(functionName: string): string[] {
  const start = MODULE.indexOf(`function ${functionName} {`);
  const match = /\[ValidateSet\(([^)]*)\)\]/.exec(MODULE.slice(start));
  if (start < 0 || !match) throw new Error(`no ValidateSet in ${functionName}`);
  return [...match[1]!.matchAll(/'([^']+)'/g)].map((item) => item[1]!);
}

function optionsOf(words: string[]): string[] {
  const spec = COMMANDS.find((command) => command.path.join(' ') === words.join(' '));
  if (!spec) throw new Error(`no command ${words.join(' ')}`);
  return spec.options.map((option) => option.flags.split(' ')[0]!);
}

describe('the scripts', () => {
  it('are exactly the expected files, plain ASCII (Windows PowerShell reads them as ANSI)', () => {
    expect(readdirSync(path.join(KIT, 'target')).sort()).toEqual(
      Object.keys(TARGET_SCRIPTS).sort(),
    );
    expect(readdirSync(path.join(KIT, 'source')).sort()).toEqual(
      Object.keys(SOURCE_SCRIPTS).sort(),
    );
    const texts = [
      MODULE,
      ...Object.keys(TARGET_SCRIPTS).map((name) => script('target', name)),
      ...Object.keys(SOURCE_SCRIPTS).map((name) => script('source', name)),
    ];
    for (const text of texts) {
      const unexpected = [...text].filter((char) => !/[\t\n\r -~]/.test(char));
      expect(unexpected).toEqual([]);
    }
  });

  it.each(Object.entries(TARGET_SCRIPTS))('%s runs target %s', (name, actions) => {
    const text = script('target', name);
    const called = [...text.matchAll(/Invoke-InPlanning(?:Target|Import) -Action '([\w-]+)'/g)];
    const assigned = [...text.matchAll(/\$action = '([\w-]+)'/g)];
    const used = [...called, ...assigned].map((match) => match[1]);

    expect([...new Set(used)].sort()).toEqual([...actions].sort());
    for (const action of actions) expect(Object.keys(TARGET_ACTIONS)).toContain(action);
    expect(text).toContain("'InPlanningConnector.psm1'");
    // HelloID's outputContext cannot be replaced, only filled in.
    expect(text).not.toMatch(/\$outputContext\s*=[^=]/i);
  });

  it('runs target revoke for the revoke operation of dynamic permissions, grant otherwise', () => {
    const text = script('target', 'subPermissions.ps1');

    expect(text).toMatch(/\$operation = "\$\(\$actionContext\.Operation\)"\.ToLowerInvariant\(\)/);
    expect(text).toMatch(
      /\$action = 'grant'[\s\S]*if \(\$operation -eq 'revoke'\) \{\s*\$action = 'revoke'/,
    );
    expect(text).toContain('Invoke-InPlanningTarget -Action $action');
  });

  it.each(Object.entries(SOURCE_SCRIPTS))('%s runs source %s', (name, kind) => {
    const text = script('source', name);

    expect(text).toContain(`Invoke-InPlanningSource -Kind '${kind}' -Configuration $config`);
    expect(text).toContain('$config = $configuration | ConvertFrom-Json');
  });

  it('has a module whose commands and flags are those the CLI registry defines', () => {
    expect(validateSet('Invoke-InPlanningTarget').sort()).toEqual(
      Object.keys(TARGET_ACTIONS)
        .filter((name) => !name.startsWith('import-'))
        .sort(),
    );
    expect(validateSet('Invoke-InPlanningImport').sort()).toEqual([
      'import-accounts',
      'import-permissions',
    ]);
    expect(validateSet('Invoke-InPlanningSource').sort()).toEqual(['departments', 'persons']);

    expect(MODULE).toContain("@('target', $Action, '--context', '-')");
    expect(MODULE).toContain("@('source', $Kind, '--format', 'ndjson')");
    expect(MODULE).toContain('ConvertTo-Json -Depth 50');
    for (const action of moduleList('MappedActions')) {
      expect(optionsOf(['target', action])).toContain('--mapping');
    }
    for (const action of moduleList('CatalogueActions')) {
      expect(optionsOf(['target', action])).toContain('--permissions');
    }
    expect(optionsOf(['source', 'persons'])).toContain('--timeline');
    expect(optionsOf(['target', 'import-accounts'])).toContain('--format');
    expect(moduleList('KitKeys')).toEqual(KIT_KEYS);
  });

  it('copies the answer property by property, with every list added to, never replaced', () => {
    for (const list of ['AuditLogs', 'SubPermissions', 'Permissions']) {
      expect(MODULE).toContain(`[void]$OutputContext.${list}.Add(`);
      expect(MODULE).not.toMatch(new RegExp(`\\$OutputContext\\.${list}\\s*=[^=]`));
    }
    for (const field of [
      'Success',
      'AccountReference',
      'AccountCorrelated',
      'Data',
      'PreviousData',
    ]) {
      expect(MODULE).toMatch(new RegExp(`\\$OutputContext\\.${field} = `));
    }
    expect(MODULE).not.toMatch(/\$OutputContext\s*=[^=]/);
  });
});

describe('the settings form (configuration.json)', () => {
  const settingKeys = Object.keys(settingsSchema.shape);

  it('has exactly the keys of our settings plus the kit keys, once each', () => {
    const keys = FORM.map((field) => field.key);

    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual([...settingKeys, ...KIT_KEYS].sort());
  });

  it('labels and describes every field, and hides the secret', () => {
    for (const field of FORM) {
      expect(['input', 'checkbox']).toContain(field.type);
      expect(field.templateOptions.label.length).toBeGreaterThan(2);
      expect(field.templateOptions.description.length).toBeGreaterThan(10);
    }
    const secret = FORM.find((field) => field.key === 'ClientSecret');
    expect(secret?.templateOptions.type).toBe('password');
    expect(secret?.defaultValue).toBe('');
    const required = FORM.filter((field) => field.templateOptions.required).map((f) => f.key);
    expect(required.sort()).toEqual(['BaseUrl', 'ClientId', 'ClientSecret', 'ConnectorPath']);
  });

  it('offers the defaults of our settings', () => {
    const defaults = settingsSchema.parse({});
    for (const field of FORM) {
      if (!(field.key in defaults) || field.key === 'StateDir') continue;
      const value = defaults[field.key as keyof typeof defaults];
      expect([field.key, field.defaultValue]).toEqual([
        field.key,
        typeof value === 'boolean' ? value : String(value),
      ]);
    }
  });

  it('gives settings the CLI accepts once the placeholder base URL is replaced', () => {
    const form = Object.fromEntries(FORM.map((field) => [field.key, field.defaultValue]));

    expect(() => loadSettings({ fromContext: form, env: {} })).toThrow(SettingsError);
    const settings = loadSettings({
      fromContext: { ...form, BaseUrl: 'https://zorg.rooster.nl/InPlanningService/rest' },
      env: {},
    });
    expect(settings).toMatchObject({
      AuthMethod: 'body',
      HistoricalDays: 1,
      IncludePersonsWithoutShifts: false,
    });
    // An empty field means "not set": the check is off.
    expect(settings.MaxRemovedPercent).toBeUndefined();
  });
});

// ---- the round trip through the built CLI ------------------------------------------------

/**
 * Serialises a value as Windows PowerShell 5.1's `ConvertTo-Json -Depth 50` does: four-space
 * indentation with two spaces after each colon, CRLF line ends, and <, >, & and ' escaped.
 */
function powerShellJson(value: unknown, indent = ''): string {
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[\r\n\r\n]';
    const items = value.map((item) => inner + powerShellJson(item, inner));
    return `[\r\n${items.join(',\r\n')}\r\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([key, item]) => `${inner}${escapeLikePowerShell(key)}:  ${powerShellJson(item, inner)}`,
    );
    return `{\r\n${entries.join(',\r\n')}\r\n${indent}}`;
  }
  return typeof value === 'string' ? escapeLikePowerShell(value) : JSON.stringify(value);
}

function escapeLikePowerShell(text: string): string {
  const hex = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  return JSON.stringify(text).replace(/[<>&']/g, hex);
}

/** The arguments the module adds for the optional files, as Get-FileArguments does. */
function fileArguments(action: string, configuration: Record<string, string>): string[] {
  const args: string[] = [];
  if (configuration.MappingFile && moduleList('MappedActions').includes(action)) {
    args.push('--mapping', configuration.MappingFile);
  }
  if (configuration.PermissionsFile && moduleList('CatalogueActions').includes(action)) {
    args.push('--permissions', configuration.PermissionsFile);
  }
  return args;
}

interface Answer {
  code: number | null;
  output: Record<string, unknown>;
  stderr: string;
}

const USERNAME = 'kit.bakker@zorggroep-oost.nl';

describe('the JSON the scripts send, through the built CLI against the simulator', () => {
  let sim: RunningSimulator;
  let dir: string;
  let configuration: Record<string, string>;

  beforeAll(async () => {
    sim = await startSimulator(['--data', path.join(REPO_ROOT, 'fixtures', 'tenant-small.json')]);
    dir = mkdtempSync(path.join(os.tmpdir(), 'inplanning-kit-'));
    // What HelloID hands over: the form with its defaults, filled in by an administrator.
    configuration = {
      ...Object.fromEntries(FORM.map((field) => [field.key, String(field.defaultValue)])),
      BaseUrl: sim.info.baseUrl,
      ClientId: sim.info.clientId,
      ClientSecret: sim.info.clientSecret,
      ConnectorPath: REPO_ROOT,
      PermissionsFile: path.join(REPO_ROOT, 'fixtures', 'permissions.json'),
      StateDir: path.join(dir, 'state'),
    };
  });

  afterAll(async () => {
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function target(
    action: string,
    actionContext: Record<string, unknown>,
    personContext: Record<string, unknown> = {},
  ): Promise<Answer> {
    const json = powerShellJson({
      actionContext: { Configuration: configuration, ...actionContext },
      personContext,
    });
    const args = ['target', action, '--context', '-', ...fileArguments(action, configuration)];
    const run = await runCli(args, { stdin: json, timeoutMs: 30_000 });
    return {
      code: run.code,
      output: JSON.parse(run.stdout) as Record<string, unknown>,
      stderr: run.stderr,
    };
  }

  async function importRows(action: string, actionContext: Record<string, unknown>) {
    const json = powerShellJson({
      actionContext: { Configuration: configuration, ...actionContext },
      personContext: {},
    });
    const args = ['target', action, '--context', '-', '--format', 'ndjson'];
    const run = await runCli([...args, ...fileArguments(action, configuration)], {
      stdin: json,
      timeoutMs: 30_000,
    });
    return { ...run, rows: rows(run) };
  }

  async function account(): Promise<Record<string, unknown> | undefined> {
    const response = await fetch(`${sim.origin}/_sim/state`);
    const state = (await response.json()) as { users: Record<string, unknown>[] };
    return state.users.find((user) => user.username === USERNAME);
  }

  const person = {
    Person: {
      ExternalId: '1007',
      DisplayName: "Kit O'Bakker <&>",
      Contracts: [
        {
          ExternalId: 'K1',
          StartDate: '2024-01-01T00:00:00Z',
          EndDate: null,
          Department: { ExternalId: 'ZRG-CAR-3B', DisplayName: 'Cardiologie 3B' },
          Context: { InConditions: true },
        },
      ],
    },
    Manager: {},
  };
  const data = {
    username: USERNAME,
    firstName: 'Kit',
    lastName: "O'Bakker <&>",
    email: USERNAME,
    active: 'True',
    userGroup: 'Medewerkers',
    resource: '1007',
  };
  const correlation = {
    Enabled: true,
    PersonField: 'Person.ExternalId',
    PersonFieldValue: '1007',
    AccountField: 'username',
    AccountFieldValue: USERNAME,
  };
  const references = { Account: USERNAME, ManagerAccount: null };

  it('previews a create without writing, then creates the account', async () => {
    const preview = await target(
      'create',
      { DryRun: true, Operation: 'create', Data: data, CorrelationConfiguration: correlation },
      person,
    );
    expect(preview.code).toBe(0);
    expect(preview.output).toMatchObject({ Success: true, AccountReference: USERNAME });
    expect(preview.output.AuditLogs).toEqual(
      expect.arrayContaining([expect.objectContaining({ Action: 'CreateAccount' })]),
    );
    expect(await account()).toBeUndefined();

    const created = await target(
      'create',
      { DryRun: false, Operation: 'create', Data: data, CorrelationConfiguration: correlation },
      person,
    );
    expect(created.code).toBe(0);
    expect(created.output).toMatchObject({
      Success: true,
      AccountReference: USERNAME,
      AccountCorrelated: false,
    });
    expect(await account()).toMatchObject({ username: USERNAME, lastName: "O'Bakker <&>" });
  });

  it('updates the account and reports the previous values', async () => {
    const updated = await target(
      'update',
      {
        DryRun: false,
        Operation: 'update',
        References: references,
        Data: { ...data, email: 'k.bakker@zorggroep-oost.nl' },
      },
      person,
    );

    expect(updated.code).toBe(0);
    expect(updated.output).toMatchObject({
      Success: true,
      PreviousData: expect.objectContaining({ email: USERNAME }),
    });
    expect(await account()).toMatchObject({ email: 'k.bakker@zorggroep-oost.nl' });
  });

  it('disables and enables the account', async () => {
    const disabled = await target('disable', { DryRun: false, References: references }, person);
    expect(disabled).toMatchObject({ code: 0, output: { Success: true } });
    expect(String((await account())?.active).toLowerCase()).toBe('false');

    const enabled = await target('enable', { DryRun: false, References: references }, person);
    expect(enabled).toMatchObject({ code: 0, output: { Success: true } });
    expect(String((await account())?.active).toLowerCase()).toBe('true');
  });

  it('lists the catalogue in the shape the permissions script adds', async () => {
    const listed = await target('permissions', {});
    const catalogue = JSON.parse(readFileSync(configuration.PermissionsFile!, 'utf8')) as {
      permissions: { reference: string; displayName: string }[];
    };

    expect(listed.code).toBe(0);
    expect(listed.output.Permissions).toEqual(
      catalogue.permissions.map((item) => ({
        DisplayName: item.displayName,
        Identification: { Reference: item.reference },
      })),
    );
  });

  it('grants and revokes a static permission', async () => {
    const permission = { Reference: 'Roosteraar-Cardiologie' };
    const hasRole = async () =>
      ((await account())?.roles as { role: string; resourceGroup: string }[]).some(
        (role) => role.role === 'Roosteraar' && role.resourceGroup === 'ZRG-CAR',
      );

    const granted = await target(
      'grant',
      { DryRun: false, References: { ...references, Permission: permission } },
      person,
    );
    expect(granted).toMatchObject({ code: 0, output: { Success: true } });
    expect(await hasRole()).toBe(true);

    const revoked = await target(
      'revoke',
      { DryRun: false, References: { ...references, Permission: permission } },
      person,
    );
    expect(revoked).toMatchObject({ code: 0, output: { Success: true } });
    expect(await hasRole()).toBe(false);
  });

  it('grants a dynamic permission per contract and revokes what it returned', async () => {
    const permission = { Reference: 'Planner' };
    const granted = await target(
      'grant',
      {
        DryRun: false,
        Operation: 'update',
        References: { ...references, Permission: permission },
        CurrentPermissions: [],
      },
      person,
    );
    expect(granted.code).toBe(0);
    const subPermissions = granted.output.SubPermissions as {
      DisplayName: string;
      Reference: { Id: string };
    }[];
    expect(subPermissions).toHaveLength(1);
    expect(subPermissions[0]!.Reference.Id).toContain('ZRG-CAR-3B');
    expect(granted.output.AuditLogs).toEqual(
      expect.arrayContaining([expect.objectContaining({ Action: 'UpdatePermission' })]),
    );

    const revoked = await target(
      'revoke',
      {
        DryRun: false,
        Operation: 'revoke',
        References: { ...references, Permission: permission },
        CurrentPermissions: subPermissions,
      },
      person,
    );
    expect(revoked).toMatchObject({ code: 0, output: { Success: true, SubPermissions: [] } });
    const roles = (await account())?.roles as { role: string; resourceGroup: string }[];
    expect(roles.some((role) => role.resourceGroup === 'ZRG-CAR-3B')).toBe(false);
  });

  it('streams the account import, one object per line, Data limited to ImportFields', async () => {
    const run = await importRows('import-accounts', { ImportFields: ['email', 'lastName'] });

    expect(run.code).toBe(0);
    const mine = run.rows.find((row) => row.AccountReference === USERNAME);
    expect(mine).toMatchObject({
      UserName: USERNAME,
      Enabled: true,
      Data: { email: 'k.bakker@zorggroep-oost.nl', lastName: "O'Bakker <&>" },
    });
    expect(Object.keys(mine!.Data as object).sort()).toEqual(['email', 'lastName']);
  });

  it('streams the permission import', async () => {
    const run = await importRows('import-permissions', {});

    expect(run.code).toBe(0);
    expect(run.rows.length).toBeGreaterThan(0);
    for (const row of run.rows) {
      expect(row).toMatchObject({
        PermissionReference: { Reference: expect.any(String) },
        AccountReferences: expect.any(Array),
      });
    }
  });

  it('deletes the account', async () => {
    const deleted = await target('delete', { DryRun: false, References: references }, person);

    expect(deleted).toMatchObject({ code: 0, output: { Success: true } });
    const left = await account();
    expect(left === undefined || String(left.active).toLowerCase() === 'false').toBe(true);
  });

  it('answers a missing setting with exit 2 and a failed answer the script copies', async () => {
    const saved = configuration.ClientSecret!;
    configuration.ClientSecret = '';
    try {
      const answer = await target('enable', { DryRun: false, References: references }, person);

      expect(answer.code).toBe(2);
      expect(answer.output).toMatchObject({
        Success: false,
        AuditLogs: [{ Action: 'EnableAccount', IsError: true }],
      });
      expect(JSON.stringify(answer.output)).toContain('ClientSecret');
      expect(answer.stderr).not.toContain(saved);
    } finally {
      configuration.ClientSecret = saved;
    }
  });
});

function rows(run: RunResult): Record<string, unknown>[] {
  return run.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the source scripts, through the built CLI against the simulator', () => {
  let sim: RunningSimulator;
  let dir: string;

  beforeAll(async () => {
    sim = await startSimulator(['--users', '12', '--seed', '7', '--days', '3']);
    dir = mkdtempSync(path.join(os.tmpdir(), 'inplanning-kit-source-'));
  });

  afterAll(async () => {
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The variables Set-SettingsEnvironment gives the CLI for HelloID's $configuration. */
  function environment(configuration: Record<string, unknown>): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(configuration)) {
      if (KIT_KEYS.includes(key) || value === null || String(value) === '') continue;
      env[`INPLANNING_${key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`] = String(value);
    }
    return env;
  }

  function configuration(): Record<string, unknown> {
    // Checkboxes arrive as booleans, PowerShell turns them into "True" and "False".
    return {
      ...Object.fromEntries(FORM.map((field) => [field.key, field.defaultValue])),
      BaseUrl: sim.info.baseUrl,
      ClientId: sim.info.clientId,
      ClientSecret: sim.info.clientSecret,
      ConnectorPath: REPO_ROOT,
      StateDir: path.join(dir, 'state'),
      IncludePersonsWithoutShifts: 'True',
    };
  }

  it('hands the settings over as the module names them', () => {
    expect(MODULE).toContain("-creplace '([a-z0-9])([A-Z])', '$1_$2'");
    expect(
      environment({ ClientSecret: 's3cr3t', ConnectorPath: 'C:\\x', MaxRemovedPercent: '' }),
    ).toEqual({ INPLANNING_CLIENT_SECRET: 's3cr3t' });
  });

  it('reads persons as one JSON object per line', async () => {
    const run = await runCli(['source', 'persons', '--format', 'ndjson'], {
      env: environment(configuration()),
      timeoutMs: 30_000,
    });

    expect(run.code).toBe(0);
    const persons = rows(run);
    expect(persons.length).toBeGreaterThan(0);
    for (const row of persons) {
      expect(row).toMatchObject({ ExternalId: expect.any(String), Contracts: expect.any(Array) });
    }
    const contracts = persons.flatMap((row) => row.Contracts as Record<string, unknown>[]);
    expect(contracts.length).toBeGreaterThan(0);
    expect(contracts[0]).toMatchObject({
      ExternalId: expect.any(String),
      AccessStartDate: expect.stringMatching(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/,
      ),
    });
    expect(run.stderr).not.toContain(sim.info.clientSecret);
  });

  it('reads departments as one JSON object per line', async () => {
    const run = await runCli(['source', 'departments', '--format', 'ndjson'], {
      env: environment(configuration()),
      timeoutMs: 30_000,
    });

    expect(run.code).toBe(0);
    const departments = rows(run);
    expect(departments.length).toBeGreaterThan(0);
    for (const row of departments) {
      expect(row).toMatchObject({
        ExternalId: expect.any(String),
        DisplayName: expect.any(String),
      });
    }
  });

  it('exits non-zero (so the script throws) when the read cannot be done', async () => {
    const run = await runCli(['source', 'persons', '--format', 'ndjson'], {
      // A fresh StateDir, so that no cached token from the reads above is used.
      env: environment({
        ...configuration(),
        ClientSecret: 'wrong-secret',
        StateDir: path.join(dir, 'other-state'),
      }),
      timeoutMs: 30_000,
    });

    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toContain('wrong-secret');
  });
});
