/**
 * `inplanning demo`: starts the simulator in this process with generated data and walks the
 * real commands through the CLI itself, as an engine would run them, printing a readable report.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OutputContext } from '../context.js';
import { describeError } from '../errors.js';
import type { RunningSimulator } from '../simulator/server.js';
import { writeError } from './output.js';
import type { Handler } from './registry.js';

const TIME_ZONE = 'Europe/Amsterdam';
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(PACKAGE_ROOT, 'bin', 'inplanning.js');
const fixture = (name: string) => path.join(PACKAGE_ROOT, 'fixtures', name);

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

interface DemoPerson {
  ExternalId: string;
  DisplayName: string;
  Contracts: DemoContract[];
}

interface DemoContract {
  StartDate: string;
  EndDate: string;
  AccessStartDate: string;
  AccessEndDate: string;
  AllDay: boolean;
  Shift: { Code: string; Name: string | null };
  Group: { ExternalId: string; DisplayName: string | null };
}

interface DemoDepartment {
  ExternalId: string;
  DisplayName: string;
  ParentExternalId: string | null;
}

interface Demo {
  sim: RunningSimulator;
  dir: string;
  configFile: string;
}

export const demoHandler: Handler = async () => {
  const started = Date.now();
  const { startSimulatorServer } = await import('../simulator/server.js');
  const sim = await startSimulatorServer({ users: 160, seed: 7, days: 14 });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'inplanning-demo-'));
  try {
    const demo = { sim, dir, configFile: await writeSettings(sim, dir) };
    heading(`InPlanning connector demo, against the simulator at ${sim.baseUrl}`);
    const departments = await showDepartments(demo);
    await showPersons(demo);
    await walkAccount(demo, departments);
    say(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return 0;
  } catch (error) {
    writeError(`The demo stopped: ${describeError(error)}`);
    return 1;
  } finally {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
};

async function writeSettings(sim: RunningSimulator, dir: string): Promise<string> {
  const file = path.join(dir, 'settings.json');
  const settings = {
    BaseUrl: sim.baseUrl,
    ClientId: sim.credentials.clientId,
    ClientSecret: sim.credentials.clientSecret,
    TimeZone: TIME_ZONE,
    HistoricalDays: 0,
    FutureDays: 2,
    StateDir: path.join(dir, 'state'),
  };
  await writeFile(file, JSON.stringify(settings), { mode: 0o600 });
  return file;
}

async function showDepartments(demo: Demo): Promise<DemoDepartment[]> {
  step('1', 'Departments', 'inplanning source departments --config settings.json');
  const departments = rows<DemoDepartment>(await cli(demo, ['source', 'departments']));
  const groups = await simState<{ resourceGroups: unknown[] }>(demo);
  table(
    ['ExternalId', 'Name', 'Parent'],
    departments.map((d) => [d.ExternalId, d.DisplayName, d.ParentExternalId ?? '']),
  );
  say(
    `${departments.length} departments read; the simulator holds ${groups.resourceGroups.length}.`,
  );
  return departments;
}

async function showPersons(demo: Demo): Promise<void> {
  step('2', 'Persons with their shifts', 'inplanning source persons --config settings.json');
  const persons = rows<DemoPerson>(await cli(demo, ['source', 'persons']));
  const contracts = persons.flatMap((p) => p.Contracts.map((c) => ({ person: p, contract: c })));
  const counts = `${persons.length} persons with ${contracts.length} shift contracts`;
  say(`${counts} from today to 2 days ahead.`);

  const now = Date.now();
  const onShift = contracts.filter(({ contract: c }) => within(now, c.StartDate, c.EndDate));
  const withAccess = contracts.filter(({ contract: c }) =>
    within(now, c.AccessStartDate, c.AccessEndDate),
  );
  say(
    `\n   On shift now (${clock(new Date(now).toISOString())}, ${TIME_ZONE}): ${onShift.length};`,
  );
  say(`   with access now (shift widened by the lead and lag minutes): ${withAccess.length}.`);
  shiftTable(withAccess.slice(0, 8), now);

  const upcoming = contracts
    .filter(({ contract: c }) => Date.parse(c.AccessStartDate) > now)
    .sort(
      (a, b) => Date.parse(a.contract.AccessStartDate) - Date.parse(b.contract.AccessStartDate),
    );
  say('\n   Next access windows to open:');
  shiftTable(upcoming.slice(0, 6), now);
}

function shiftTable(entries: { person: DemoPerson; contract: DemoContract }[], now: number) {
  table(
    ['Person', 'Shift', 'Group', 'Shift times', 'Access opens', 'Access closes'],
    entries.map(({ person, contract: c }) => [
      person.DisplayName,
      c.Shift.Name ?? c.Shift.Code,
      c.Group.DisplayName ?? c.Group.ExternalId,
      c.AllDay ? 'whole day' : `${clock(c.StartDate)}-${clock(c.EndDate)}`,
      relative(c.AccessStartDate, now),
      relative(c.AccessEndDate, now),
    ]),
  );
}

async function walkAccount(demo: Demo, departments: DemoDepartment[]): Promise<void> {
  const person = JSON.parse(await readFile(fixture('person.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const username = String(person.ExternalId);
  const team =
    departments.find(
      (d) =>
        d.ParentExternalId &&
        departments.some(
          (other) => other.ExternalId === d.ParentExternalId && other.ParentExternalId,
        ),
    ) ?? departments[0];
  person.Contracts = [
    {
      ExternalId: `${username}-demo`,
      StartDate: new Date().toISOString(),
      EndDate: null,
      Department: { ExternalId: team?.ExternalId, DisplayName: team?.DisplayName },
      Division: { ExternalId: team?.ParentExternalId, Code: team?.ParentExternalId },
      Context: { InConditions: true },
    },
  ];
  const correlation = {
    Enabled: true,
    PersonField: 'Person.ExternalId',
    PersonFieldValue: username,
    AccountField: 'username',
    AccountFieldValue: username,
  };
  const mapping = ['--mapping', fixture('fieldMapping.json')];

  step('3', `Create the account of ${String(person.DisplayName)}`, 'inplanning target create');
  const context = {
    actionContext: { CorrelationConfiguration: correlation },
    personContext: { Person: person },
  };
  report('preview', await action(demo, 'create', context, [...mapping, '--preview']));
  report('for real', await action(demo, 'create', context, mapping));
  await showAccount(demo, username);

  step('4', 'Update it after a change of nick name in HR', 'inplanning target update');
  const renamed = { ...person, Name: { ...(person.Name as object), NickName: 'Chloé' } };
  const references = { Account: username };
  report(
    '',
    await action(
      demo,
      'update',
      {
        actionContext: { References: references },
        personContext: { Person: renamed },
      },
      mapping,
    ),
  );

  step(
    '5',
    `Grant "Planner" for the department of each contract (${team?.ExternalId})`,
    'inplanning target grant --permissions permissions.json',
  );
  const permission = { References: { ...references, Permission: { Reference: 'Planner' } } };
  const permissions = ['--permissions', fixture('permissions.json')];
  const granted = await action(
    demo,
    'grant',
    { actionContext: permission, personContext: { Person: renamed } },
    permissions,
  );
  report('', granted);
  await showAccount(demo, username);

  step('6', 'Revoke it again', 'inplanning target revoke --permissions permissions.json');
  const current = { ...permission, CurrentPermissions: granted.SubPermissions ?? [] };
  report(
    '',
    await action(
      demo,
      'revoke',
      { actionContext: current, personContext: { Person: renamed } },
      permissions,
    ),
  );

  step('7', 'Disable the account', 'inplanning target disable');
  report('', await action(demo, 'disable', { actionContext: { References: references } }, []));
  await showAccount(demo, username);
}

async function action(
  demo: Demo,
  name: string,
  context: unknown,
  extra: string[],
): Promise<OutputContext> {
  const run = await cli(
    demo,
    ['target', name, '--context', '-', ...extra],
    JSON.stringify(context),
  );
  try {
    return JSON.parse(run.stdout) as OutputContext;
  } catch {
    throw new Error(
      `target ${name} gave no outputContext (exit ${run.code}): ${run.stderr.trim()}`,
    );
  }
}

async function showAccount(demo: Demo, username: string): Promise<void> {
  const state = await simState<{ users: Record<string, unknown>[] }>(demo);
  const user = state.users.find((u) => u.username === username);
  if (!user) {
    say(`   The simulator holds no account ${username}.`);
    return;
  }
  const roles = (user.roles as { role: string; resourceGroup: string }[] | undefined) ?? [];
  const roleText = roles.map((r) => `${r.role} of ${r.resourceGroup}`).join(', ') || 'none';
  say(
    `   In the simulator: ${username} "${String(user.firstName)} ${String(user.lastName)}", ` +
      `active ${String(user.active)}, roles: ${roleText}.`,
  );
}

function report(label: string, output: OutputContext): void {
  const prefix = label ? `${label}: ` : '';
  say(`   ${prefix}Success ${output.Success}`);
  for (const log of output.AuditLogs) say(`     ${log.IsError ? '✗' : '✓'} ${log.Message}`);
  if (output.SubPermissions?.length) {
    say(`     SubPermissions: ${output.SubPermissions.map((s) => s.DisplayName).join(', ')}`);
  }
}

function cli(demo: Demo, args: string[], input?: string): Promise<CliRun> {
  const full = [CLI, ...args, '--config', demo.configFile, '--log-level', 'warn'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, full, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

function rows<T>(run: CliRun): T[] {
  if (run.code !== 0) throw new Error(`a source read failed (exit ${run.code}): ${run.stderr}`);
  return run.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

async function simState<T>(demo: Demo): Promise<T> {
  const response = await fetch(`${demo.sim.rootUrl}/_sim/state`);
  return (await response.json()) as T;
}

function within(now: number, start: string, end: string): boolean {
  return Date.parse(start) <= now && now < Date.parse(end);
}

const clockFormat = new Intl.DateTimeFormat('nl-NL', {
  timeZone: TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
});
const dayFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

function clock(iso: string): string {
  return clockFormat.format(new Date(iso));
}

function relative(iso: string, now: number): string {
  const minutes = Math.round((Date.parse(iso) - now) / 60_000);
  const span = Math.abs(minutes) >= 120 ? `${Math.round(minutes / 60)} h` : `${minutes} min`;
  const when = minutes < 0 ? `${span.replace('-', '')} ago` : `in ${span}`;
  return `${dayFormat.format(new Date(iso))} (${when})`;
}

function heading(text: string): void {
  say(`${text}\n${'='.repeat(text.length)}`);
}

function step(number: string, title: string, command: string): void {
  say(`\n${number}. ${title}\n   $ ${command}`);
}

function table(header: string[], body: string[][]): void {
  if (body.length === 0) {
    say('   (none)');
    return;
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `   ${cells.map((c, i) => c.padEnd(Math.min(widths[i] ?? 0, 40)).slice(0, 40)).join('  ')}`;
  say(line(header));
  say(line(widths.map((w) => '-'.repeat(Math.min(w, 40)))));
  for (const row of body) say(line(row));
}

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}
