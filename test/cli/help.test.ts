import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/registry.js';
import { runCli, type RunResult } from '../helpers/cli.js';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

/** Runs the CLI for each argument list, a few at a time (the machine has two cores). */
async function runAll(lists: string[][], width = 4): Promise<RunResult[]> {
  const results: RunResult[] = new Array(lists.length);
  let next = 0;
  async function worker() {
    while (next < lists.length) {
      const index = next++;
      results[index] = await runCli(lists[index]!);
    }
  }
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

describe('--version', () => {
  it.each([['--version'], ['-V']])('%s prints the package version', async (flag) => {
    const result = await runCli([flag]);
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('--help', () => {
  it('is answered for every command of the registry, with its options', async () => {
    const results = await runAll(COMMANDS.map((spec) => [...spec.path, '--help']));

    COMMANDS.forEach((spec, index) => {
      const result = results[index]!;
      const name = spec.path.join(' ');
      expect([name, result.code]).toEqual([name, 0]);
      expect(result.stdout).toContain(`Usage: inplanning ${name}`);
      for (const option of spec.options) {
        expect(result.stdout).toContain(option.flags.split(' ')[0]);
      }
    });
  });

  it('lists the command groups at the top and the actions under target', async () => {
    const [top, target] = await runAll([['--help'], ['target', '--help']]);
    expect(top!.code).toBe(0);
    for (const group of new Set(COMMANDS.map((spec) => spec.path[0]))) {
      expect(top!.stdout).toContain(group);
    }
    expect(top!.stdout).toContain('--log-level');
    expect(target!.code).toBe(0);
    for (const spec of COMMANDS.filter((command) => command.path[0] === 'target')) {
      expect(target!.stdout).toContain(spec.path[1]);
    }
  });
});
