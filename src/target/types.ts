/** The inputs and results every target action shares. */
import type { ConnectionSettings } from '../config.js';
import type { ActionContext, OutputContext, PersonContext } from '../context.js';
import type { InPlanningClient } from '../inplanning/types.js';

export interface TargetInput {
  action: ActionContext;
  person: PersonContext;
  settings: ConnectionSettings;
  client: InPlanningClient;
  /** Preview: read and compare, send no write. */
  dryRun: boolean;
  /** The --permissions catalogue file, for the permission actions. */
  permissionsFile?: string | undefined;
}

/** An action answers with one outputContext, or (imports) with rows to stream. */
export type TargetResult =
  { kind: 'output'; output: OutputContext } | { kind: 'rows'; rows: unknown[] };

/** What each module in src/target/ exports as `run`. */
export type TargetAction = (input: TargetInput) => Promise<TargetResult>;
