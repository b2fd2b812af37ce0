/**
 * A create never makes two accounts, even when 30% of requests fail: 200 creates of distinct
 * people in sequence (run in-process, so the client's timeout can be shorter than the CLI allows)
 * and a few through the built CLI end with exactly one account per person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings, requireConnection } from '../../src/config.js';
import { actionContextSchema, type OutputContext } from '../../src/context.js';
import { describeError } from '../../src/errors.js';
import { createClient } from '../../src/inplanning/client.js';
import { run as create } from '../../src/target/create.js';
import { type LifecycleSim, runTarget, startLifecycleSim } from './lifecycle-support.js';

const IN_PROCESS_CREATES = 200;
const CLI_CREATES = 5;
const FIRST_NAMES = ['Zoë', 'Loïs', 'Anaïs', 'Noël', 'Chloë', 'José', 'Ömer', 'Siân'];

function person(index: number) {
  return {
    username: `medewerker ${index}/team@zorg-oost.nl`,
    firstName: FIRST_NAMES[index % FIRST_NAMES.length],
    lastName: `van 't Hoff ${index}`,
    email: `medewerker.${index}@zorg-oost.nl`,
    active: 'True',
    userGroup: 'Root',
    resource: String(500_000 + index),
  };
}

/** A create of person `index`; with correlation on username it first looks the account up. */
function createContext(index: number, correlate: boolean) {
  const data = person(index);
  const correlation = {
    Enabled: correlate,
    AccountField: 'username',
    AccountFieldValue: data.username,
  };
  return { actionContext: { Data: data, CorrelationConfiguration: correlation } };
}

let env: LifecycleSim;

beforeAll(async () => {
  env = await startLifecycleSim(
    { data: { users: [] }, faultRate: 0.3, seed: 11, slowResponseMs: 5_000 },
    { MaxRetries: 12, RequestTimeoutSeconds: 1 },
  );
});
afterAll(() => env.stop());

describe('create against a simulator failing 30% of requests', () => {
  it(`${IN_PROCESS_CREATES} creates in sequence each succeed and make one account`, async () => {
    const fromFile = requireConnection(loadSettings({ configFile: env.settingsFile, env: {} }));
    // A quarter of faults are answers slower than the timeout; a short one keeps the run quick.
    const settings = { ...fromFile, RequestTimeoutSeconds: 0.25 };
    const deadline = Date.now() + 100_000;
    const outputs: OutputContext[] = [];

    for (let index = 0; index < IN_PROCESS_CREATES && Date.now() < deadline; index += 1) {
      const input = {
        action: actionContextSchema.parse(createContext(index, false).actionContext),
        person: {},
        settings,
        client: createClient(settings),
        dryRun: false,
      };
      outputs.push(await runCaught(() => create(input)));
    }

    expect(outputs).toHaveLength(IN_PROCESS_CREATES);
    const failures = outputs.filter((output) => !output.Success);
    expect(failures).toEqual([]);
    expect(
      outputs.every((output, index) => output.AccountReference === person(index).username),
    ).toBe(true);
    // Faults did hit POSTs: some were sent again, each only after a lookup found no account.
    const stats = env.sim.stats();
    expect(sumFaults(stats.faults)).toBeGreaterThan(IN_PROCESS_CREATES / 4);
    expect(stats.requests['POST /users']).toBeGreaterThan(IN_PROCESS_CREATES);
    expect(stats.requests['GET /users/{username}']).toBeGreaterThan(0);
  }, 120_000);

  it(`${CLI_CREATES} CLI creates each succeed, one more with its account correlates`, async () => {
    const deadline = Date.now() + 60_000;
    const runs = [];
    for (let index = 0; index < CLI_CREATES && Date.now() < deadline; index += 1) {
      runs.push(await runTarget(env, 'create', createContext(IN_PROCESS_CREATES + index, true)));
    }
    const again = await runTarget(env, 'create', createContext(0, true));

    expect(runs.map((run) => [run.code, run.output?.Success])).toEqual(
      Array.from({ length: CLI_CREATES }, () => [0, true]),
    );
    expect(again.output).toMatchObject({ Success: true, AccountCorrelated: true });
  }, 90_000);

  it('leaves exactly one account per person, holding what was sent', async () => {
    const users = await env.users();
    const total = IN_PROCESS_CREATES + CLI_CREATES;

    expect(users).toHaveLength(total);
    expect(new Set(users.map((user) => user.username)).size).toBe(total);
    const expected = Array.from({ length: total }, (_, index) => person(index));
    expect(users).toEqual(expect.arrayContaining(expected));
  });
});

async function runCaught(action: () => Promise<{ kind: string; output?: OutputContext }>) {
  try {
    const result = await action();
    if (result.output) return result.output;
    return { Success: false, AuditLogs: [] } satisfies OutputContext;
  } catch (error) {
    const message = describeError(error);
    return {
      Success: false,
      AuditLogs: [{ Action: 'CreateAccount', Message: message, IsError: true }],
    };
  }
}

function sumFaults(faults: Record<string, number>): number {
  return Object.values(faults).reduce((sum, count) => sum + count, 0);
}
