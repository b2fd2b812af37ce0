import { describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from '../helpers/cli.js';

describe('inplanning demo', () => {
  it('walks every step against the embedded simulator and reports numbers that agree', async () => {
    assertBuilt();
    const run = await runCli(['demo'], { timeoutMs: 60_000 });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const departments = /(\d+) departments read; the simulator holds (\d+)\./.exec(run.stdout);
    expect(departments?.[1]).toBeDefined();
    expect(departments?.[1]).toBe(departments?.[2]);
    expect(
      Number(/(\d+) persons with (\d+) shift contracts/.exec(run.stdout)?.[2]),
    ).toBeGreaterThan(0);
    for (const step of [
      '1. Departments',
      '3. Create',
      '4. Update',
      '5. Grant',
      '6. Revoke',
      '7. Disable',
    ]) {
      expect(run.stdout).toContain(step);
    }
    expect(run.stdout).not.toMatch(/Success false/);
    const chloe = /In the simulator: 1007 "Chloé [^"]+", active False, roles: none\./;
    expect(run.stdout).toMatch(chloe);
    expect(run.stdout).toMatch(/roles: Planner of [A-Z0-9-]+\./);
    // A readable report, not raw JSON.
    expect(run.stdout).not.toMatch(/^\s*[{[]/m);
  });
});
