/**
 * Setting an account active or inactive, shared by `target enable` and `target disable`. The
 * account keeps the representation of `active` its tenant uses (a boolean or "True"/"False"),
 * and an account already in the wanted state is left alone.
 */
import type { OutputContext } from '../context.js';
import type { User } from '../inplanning/schemas.js';
import {
  accountReference,
  answer,
  auditLog,
  changeMessage,
  hasActiveState,
  MISSING_ACCOUNT_RULE,
  missingAccountOutput,
  quote,
  succeeded,
  underAccountLock,
  withActive,
  withoutArrays,
} from './account.js';
import type { TargetInput, TargetResult } from './types.js';

/** What enable or disable will write: nothing when the account already is in that state. */
export interface ActiveStatePlan {
  current: User;
  /** The account to write, or undefined when nothing needs to change. */
  next: User | undefined;
}

/** Runs enable (`active` true) or disable (`active` false) for the account of the reference. */
export async function setActiveState(input: TargetInput, active: boolean): Promise<TargetResult> {
  const auditAction = active ? 'EnableAccount' : 'DisableAccount';
  const rule = active ? MISSING_ACCOUNT_RULE.enable : MISSING_ACCOUNT_RULE.disable;
  const reference = accountReference(input.action);

  return underAccountLock(input, reference, async () => {
    const current = await input.client.findUser(reference);
    if (!current) return answer(missingAccountOutput(auditAction, reference, rule));
    const plan = planActiveState(current, active);

    const written =
      plan.next && !input.dryRun ? await input.client.replaceUser(plan.next) : plan.next;
    return answer(reportActiveState(auditAction, reference, plan, written, input.dryRun));
  });
}

/** The account set to `active`, or no write when it explicitly is so already. */
export function planActiveState(current: User, active: boolean): ActiveStatePlan {
  return {
    current,
    next: hasActiveState(current, active) ? undefined : withActive(current, active),
  };
}

function reportActiveState(
  auditAction: string,
  reference: string,
  plan: ActiveStatePlan,
  written: User | undefined,
  dryRun: boolean,
): OutputContext {
  const previousData = withoutArrays(plan.current);
  if (!plan.next || !written) {
    const state = auditAction === 'EnableAccount' ? 'active' : 'inactive';
    const message = `Account ${quote(reference)} is already ${state}; nothing to change.`;
    return succeeded([auditLog(auditAction, message)], { Data: previousData });
  }
  const change = { field: 'active', previous: plan.current.active, next: plan.next.active };
  return succeeded([auditLog(auditAction, changeMessage(change, reference, dryRun))], {
    Data: withoutArrays(written),
    PreviousData: previousData,
  });
}
