/**
 * Entry point of the `inplanning` command. It reads argv, prints, and sets the exit code; the
 * work is done by handlers that the registry loads lazily. It imports no code of its own up
 * front, so that `--version` costs little more than starting Node.
 */
import nodeModule from 'node:module';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

async function main(argv: string[]): Promise<number> {
  // The cheapest path first: the engine and benchmarks call --version to probe start-up.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  enableCompileCache();
  const { buildProgram } = await import('./program.js');
  return buildProgram(VERSION).run(argv);
}

/**
 * Node 22.1 and later keep compiled code between runs, which spares each action process much of
 * its start-up; Node 20 has no such cache, and then this does nothing.
 */
function enableCompileCache(): void {
  const withCache = nodeModule as { enableCompileCache?: () => unknown };
  try {
    withCache.enableCompileCache?.();
  } catch {
    // A cache that cannot be set up only costs speed.
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    // Handlers catch what they expect; reaching here is a bug, so answer cleanly and say so.
    process.exitCode = 1;
    const { failedOutput, printJson, writeError } = await import('./output.js');
    writeError(`Unexpected failure: ${error instanceof Error ? error.stack : String(error)}`);
    const { findSpec } = await import('./program.js');
    if (findSpec(process.argv.slice(2))?.answersWithOutputContext) {
      printJson(failedOutput('Unexpected failure', error));
    }
  },
);
