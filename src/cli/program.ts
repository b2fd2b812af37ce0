/** Builds the commander program from the command registry. */
import { Command, CommanderError, Option } from 'commander';
import { setLogLevel, withLogScope } from '../log.js';
import { COMMANDS, type CommandSpec } from './registry.js';
import { failedOutput, printJson } from './output.js';

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export interface Program {
  run(argv: string[]): Promise<number>;
}

export function buildProgram(version: string): Program {
  const program = new Command('inplanning')
    .description('Connector between IAM engines and Intus InPlanning')
    .version(version)
    .addOption(
      new Option('--log-level <level>', 'log level on stderr').choices(LOG_LEVELS).default('info'),
    )
    .showHelpAfterError(false)
    .exitOverride();

  let exitCode = 0;
  const groups = new Map<string, Command>();
  for (const spec of COMMANDS) {
    const parent = spec.path.length > 1 ? groupOf(program, groups, spec.path[0]!) : program;
    const command = parent.command(spec.path.at(-1)!).description(spec.summary).exitOverride();
    for (const arg of spec.arguments ?? []) command.argument(arg);
    for (const option of spec.options) {
      command.option(option.flags, option.description, option.defaultValue);
    }
    command.action(async (...params: unknown[]) => {
      const cmd = params.at(-1) as Command;
      const globals = program.opts<{ logLevel: string }>();
      setLogLevel(globals.logLevel);
      const handler = await spec.load();
      exitCode = await withLogScope({ command: spec.path.join(' ') }, () =>
        handler({ options: cmd.opts(), args: cmd.args }),
      );
    });
  }

  return {
    async run(argv) {
      try {
        await program.parseAsync(argv, { from: 'user' });
        return exitCode;
      } catch (error) {
        return handleCommanderError(error, argv);
      }
    },
  };
}

function groupOf(program: Command, groups: Map<string, Command>, name: string): Command {
  let group = groups.get(name);
  if (!group) {
    group = program.command(name).description(`${name} commands`).exitOverride();
    groups.set(name, group);
  }
  return group;
}

/**
 * Help and version end with 0; every parse error is an invocation error (exit 2), and so is
 * help shown because a command is missing (`inplanning target`).
 */
function handleCommanderError(error: unknown, argv: string[]): number {
  if (!(error instanceof CommanderError)) throw error;
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
  if (error.code === 'commander.help' && error.exitCode === 0) return 0;
  const spec = findSpec(argv);
  if (spec?.answersWithOutputContext) {
    printJson(failedOutput('InvalidInvocation', new Error(error.message)));
  }
  return 2;
}

/** The command named in argv, wherever its words stand (global options may come first). */
export function findSpec(argv: string[]): CommandSpec | undefined {
  return COMMANDS.find((spec) =>
    argv.some((_, start) => spec.path.every((word, index) => argv[start + index] === word)),
  );
}
