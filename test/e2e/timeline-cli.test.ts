/** `source persons --timeline`: the CLI writes the access timeline of the read it printed. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { type RunningSimulator, startSimulator } from '../helpers/simulator.js';

const TENANT = path.join(REPO_ROOT, 'fixtures', 'source-tenant.json');
const work = mkdtempSync(path.join(os.tmpdir(), 'timeline-cli-'));
let sim: RunningSimulator;
let config: string;

beforeAll(async () => {
  sim = await startSimulator(['--data', TENANT]);
  config = path.join(work, 'settings.json');
  writeFileSync(
    config,
    JSON.stringify({
      BaseUrl: sim.info.baseUrl,
      ClientId: sim.info.clientId,
      ClientSecret: sim.info.clientSecret,
      StateDir: path.join(work, 'state'),
    }),
  );
});

afterAll(async () => {
  await sim.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('source persons --timeline', () => {
  it('writes one row per person printed, with every shift of the read', async () => {
    const page = path.join(work, 'access.html');
    const window = ['--from', '2026-03-28', '--to', '2026-03-31'];
    const run = await runCli([
      'source',
      'persons',
      '--config',
      config,
      ...window,
      '--timeline',
      page,
    ]);

    expect(run.code).toBe(0);
    const persons = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { DisplayName: string; Contracts: unknown[] });
    expect(persons.length).toBeGreaterThan(0);
    const html = readFileSync(page, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).not.toMatch(/(src|href)="https?:/);
    for (const person of persons) expect(html).toContain(escapeHtml(person.DisplayName));
    expect(html).toContain('2026-03-28');
  });

  it('refuses a timeline file that is not HTML before sending anything', async () => {
    const before = await sim.stats();
    const run = await runCli(['source', 'persons', '--config', config, '--timeline', 'x.png']);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--timeline/);
    expect(run.stdout).toBe('');
    expect((await sim.stats()).tokensIssued).toBe(before.tokensIssued);
  });
});

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
