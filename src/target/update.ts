/**
 * `target update`: compares each mapped field with the account and, when something differs,
 * writes the whole current account with only those fields changed, so roles and every field the
 * mapping does not name stay as they were.
 */
import type { OutputContext } from '../context.js';
import type { User } from '../inplanning/schemas.js';
import {
  accountReference,
  answer,
  auditLog,
  changedFields,
  changeMessage,
  type FieldChange,
  MISSING_ACCOUNT_RULE,
  missingAccountOutput,
  quote,
  succeeded,
  underAccountLock,
  withChanges,
  withoutArrays,
} from './account.js';
import type { TargetAction } from './types.js';

const UPDATE = 'UpdateAccount';

/** What update will write: the account as read, the changed fields, and the account after. */
export interface UpdatePlan {
  current: User;
  changes: FieldChange[];
  next: User;
}

export const run: TargetAction = async (input) => {
  const reference = accountReference(input.action);
  const data = input.action.Data ?? {};

  return underAccountLock(input, reference, async () => {
    const current = await input.client.findUser(reference);
    if (!current) {
      return answer(missingAccountOutput(UPDATE, reference, MISSING_ACCOUNT_RULE.update));
    }
    const plan = planUpdate(current, data);

    const written =
      plan.changes.length > 0 && !input.dryRun
        ? await input.client.replaceUser(plan.next)
        : plan.next;
    return answer(reportUpdate(reference, plan, written, input.dryRun));
  });
};

/** The account with the mapped fields that differ changed; nothing else is touched. */
export function planUpdate(current: User, data: Record<string, unknown>): UpdatePlan {
  const changes = changedFields(current, data);
  return { current, changes, next: withChanges(current, changes) };
}

function reportUpdate(
  reference: string,
  plan: UpdatePlan,
  written: User,
  dryRun: boolean,
): OutputContext {
  const previousData = withoutArrays(plan.current);
  if (plan.changes.length === 0) {
    const message = `Account ${quote(reference)} needs no changes: every mapped field matches.`;
    return succeeded([auditLog(UPDATE, message)], {
      Data: previousData,
      PreviousData: previousData,
    });
  }
  const logs = plan.changes.map((change) =>
    auditLog(UPDATE, changeMessage(change, reference, dryRun)),
  );
  return succeeded(logs, { Data: withoutArrays(written), PreviousData: previousData });
}
