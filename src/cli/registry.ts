/**
 * The one registry of commands. Each entry names its options (for parsing and --help) and
 * loads its handler lazily, so a process loads only the code of the command it runs.
 */

export interface OptionSpec {
  flags: string;
  description: string;
  defaultValue?: string;
}

/** What a handler gets: the parsed options and the positional arguments. */
export interface CommandRun {
  options: Record<string, unknown>;
  args: string[];
}

/** A handler returns the process exit code. Only the CLI layer prints and exits. */
export type Handler = (run: CommandRun) => Promise<number>;

export interface CommandSpec {
  /** Words of the command, such as ['target', 'create']. */
  path: string[];
  summary: string;
  arguments?: string[];
  options: OptionSpec[];
  /** Target actions answer even a bad invocation with a failed outputContext on stdout. */
  answersWithOutputContext?: boolean;
  load: () => Promise<Handler>;
}

const configOption: OptionSpec = { flags: '--config <file>', description: 'settings JSON file' };

const targetOptions: OptionSpec[] = [
  configOption,
  {
    flags: '--context <file>',
    description: 'the engine JSON {actionContext, personContext}; "-" reads stdin',
  },
  { flags: '--mapping <file>', description: 'fieldMapping.json that computes actionContext.Data' },
  { flags: '--permissions <file>', description: 'permission catalogue JSON' },
  { flags: '--preview', description: 'dry run: read and compare, write nothing' },
];

/** The target actions, in the order the engine's lifecycle runs them. */
export const TARGET_ACTIONS = {
  create: 'create or correlate the account of a person',
  update: 'update the mapped fields of an account',
  enable: 'set an account active',
  disable: 'set an account inactive',
  delete: 'delete an account, or make it inert where InPlanning cannot delete',
  grant: 'grant a permission (a role, static or per contract)',
  revoke: 'revoke a permission',
  permissions: 'list the permission catalogue',
  'import-accounts': 'list every account, one JSON line each',
  'import-permissions': 'list every permission with the accounts that hold it',
} as const;

export type TargetActionName = keyof typeof TARGET_ACTIONS;

const targetCommands: CommandSpec[] = Object.entries(TARGET_ACTIONS).map(([name, summary]) => ({
  path: ['target', name],
  summary,
  options: name.startsWith('import-')
    ? [
        ...targetOptions,
        { flags: '--format <format>', description: 'ndjson or json', defaultValue: 'ndjson' },
      ]
    : targetOptions,
  answersWithOutputContext: !name.startsWith('import-'),
  load: async () => (await import('./target.js')).targetHandler(name as TargetActionName),
}));

export const COMMANDS: CommandSpec[] = [
  ...targetCommands,
  {
    path: ['source', 'persons'],
    summary: 'read rosters as persons whose contracts are shifts',
    options: [
      configOption,
      { flags: '--mapping <file>', description: 'source mapping.json applied to each person' },
      { flags: '--format <format>', description: 'ndjson or json', defaultValue: 'ndjson' },
      { flags: '--from <date>', description: 'first roster date (yyyy-MM-dd)' },
      { flags: '--to <date>', description: 'last roster date (yyyy-MM-dd)' },
      { flags: '--force', description: 'accept a result that MaxRemovedPercent would refuse' },
      { flags: '--timeline <file>', description: 'also write an HTML access timeline' },
    ],
    load: async () => (await import('./source.js')).sourceHandler('persons'),
  },
  {
    path: ['source', 'departments'],
    summary: 'read resource groups as departments',
    options: [
      configOption,
      { flags: '--format <format>', description: 'ndjson or json', defaultValue: 'ndjson' },
    ],
    load: async () => (await import('./source.js')).sourceHandler('departments'),
  },
  {
    path: ['simulator'],
    summary: 'serve the InPlanning simulator',
    options: [
      { flags: '--host <host>', description: 'address to listen on', defaultValue: '127.0.0.1' },
      { flags: '--port <port>', description: 'port (0 picks a free one)', defaultValue: '0' },
      { flags: '--data <file>', description: 'tenant JSON to load instead of generating one' },
      { flags: '--seed <n>', description: 'seed of the generated tenant', defaultValue: '1' },
      { flags: '--users <n>', description: 'people in the generated tenant', defaultValue: '200' },
      { flags: '--days <n>', description: 'roster days around today', defaultValue: '14' },
      { flags: '--today <date>', description: 'the date rosters are generated around' },
      { flags: '--latency <ms>', description: 'delay added to every response', defaultValue: '0' },
      { flags: '--fault-rate <r>', description: 'share of requests failing', defaultValue: '0' },
      { flags: '--token-ttl <s>', description: 'token lifetime in seconds', defaultValue: '3600' },
      { flags: '--max-concurrent <n>', description: 'requests in flight per client' },
    ],
    load: async () => (await import('./simulator.js')).simulatorHandler,
  },
  {
    path: ['mapping', 'preview'],
    summary: 'show the Data a field mapping gives a person, offline',
    options: [
      { flags: '--mapping <file>', description: 'fieldMapping.json' },
      { flags: '--person <file>', description: 'the Person object as JSON' },
      { flags: '--action <action>', description: 'Create, Update, Enable, Disable or Delete' },
    ],
    load: async () => (await import('./mapping.js')).mappingPreviewHandler,
  },
  {
    path: ['demo'],
    summary: 'walk through the connector on the embedded simulator',
    options: [],
    load: async () => (await import('./demo.js')).demoHandler,
  },
];
