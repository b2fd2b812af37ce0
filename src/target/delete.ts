/**
 * `target delete`: deletes the account. Where InPlanning cannot delete (DELETE answers 404/405),
 * the account is made inert instead: inactive, with every role removed. The audit log says which
 * of the two happened; a missing account is already done.
 */
import type { AuditLog, OutputContext } from '../context.js';
import { NotSupportedError } from '../errors.js';
import type { Role, User } from '../inplanning/schemas.js';
import type { InPlanningClient } from '../inplanning/types.js';
import {
  accountReference,
  answer,
  auditLog,
  hasActiveState,
  MISSING_ACCOUNT_RULE,
  missingAccountOutput,
  quote,
  shown,
  succeeded,
  underAccountLock,
  withActive,
  withoutArrays,
} from './account.js';
import type { TargetAction } from './types.js';

const DELETE = 'DeleteAccount';

/** What delete will do: delete the account, or, where that is not supported, write `inert`. */
export interface DeletePlan {
  current: User;
  /** The account made inactive and without roles. */
  inert: User;
  /** Whether the account already is inactive and without roles. */
  alreadyInert: boolean;
}

type DeleteOutcome = 'deleted' | 'made-inert' | 'already-inert';

export const run: TargetAction = async (input) => {
  const reference = accountReference(input.action);

  return underAccountLock(input, reference, async () => {
    const current = await input.client.findUser(reference);
    if (!current) {
      return answer(missingAccountOutput(DELETE, reference, MISSING_ACCOUNT_RULE.delete));
    }
    const plan = planDelete(current);
    if (input.dryRun) return answer(reportPreview(reference, plan));

    const outcome = await applyDelete(input.client, plan);
    return answer(reportDelete(reference, plan, outcome));
  });
};

export function planDelete(current: User): DeletePlan {
  const inert: User = { ...withActive(current, false), roles: [] };
  const alreadyInert = hasActiveState(current, false) && (current.roles ?? []).length === 0;
  return { current, inert, alreadyInert };
}

async function applyDelete(client: InPlanningClient, plan: DeletePlan): Promise<DeleteOutcome> {
  try {
    await client.deleteUser(plan.current.username);
    return 'deleted';
  } catch (error) {
    if (!(error instanceof NotSupportedError)) throw error;
  }
  if (plan.alreadyInert) return 'already-inert';
  await client.replaceUser(plan.inert);
  return 'made-inert';
}

function reportPreview(reference: string, plan: DeletePlan): OutputContext {
  const fallback = plan.alreadyInert
    ? 'it already is inactive without roles'
    : `make it inert: ${inertSteps(plan, true).join('; ')}`;
  const message =
    `Preview: would delete account ${quote(reference)}; ` +
    `where InPlanning cannot delete, ${fallback}.`;
  return succeeded([auditLog(DELETE, message)], { PreviousData: withoutArrays(plan.current) });
}

function reportDelete(reference: string, plan: DeletePlan, outcome: DeleteOutcome): OutputContext {
  const previousData = withoutArrays(plan.current);
  if (outcome === 'deleted') {
    return succeeded([auditLog(DELETE, `Deleted account ${quote(reference)}.`)], {
      PreviousData: previousData,
    });
  }
  const cannot = `InPlanning cannot delete accounts, so account ${quote(reference)}`;
  const logs: AuditLog[] =
    outcome === 'already-inert'
      ? [auditLog(DELETE, `${cannot} was kept; it already is inactive without roles.`)]
      : [
          auditLog(
            DELETE,
            `${cannot} was made inert instead: ${inertSteps(plan, false).join('; ')}.`,
          ),
        ];
  return succeeded(logs, { Data: withoutArrays(plan.inert), PreviousData: previousData });
}

/** The field-level steps that make the account inert, as intent or as done. */
function inertSteps(plan: DeletePlan, intent: boolean): string[] {
  const steps: string[] = [];
  if (!hasActiveState(plan.current, false)) {
    const values = `from ${shown(plan.current.active)} to ${shown(plan.inert.active)}`;
    steps.push(`${intent ? 'change' : 'changed'} "active" ${values}`);
  }
  const roles = plan.current.roles ?? [];
  if (roles.length > 0) {
    const names = roles.map(roleName).join(', ');
    steps.push(`${intent ? 'remove' : 'removed'} ${roles.length} role(s): ${names}`);
  }
  return steps;
}

function roleName(role: Role): string {
  return role.resourceGroup ? `${role.role} in ${role.resourceGroup}` : role.role;
}
