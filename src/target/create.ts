/**
 * `target create`: links the person to an existing account when correlation finds exactly one,
 * otherwise creates the account. A POST whose outcome is unknown is never repeated blindly: the
 * username is looked up first, so one person never gets two accounts.
 */
import { type ActionContext, getKey, type OutputContext } from '../context.js';
import { ConflictError, InputError, RejectedError, TransientError } from '../errors.js';
import type { User } from '../inplanning/schemas.js';
import type { InPlanningClient } from '../inplanning/types.js';
import {
  accountKey,
  answer,
  auditLog,
  failed,
  isMappableField,
  quote,
  sameValue,
  shown,
  succeeded,
  underAccountLock,
  withoutArrays,
} from './account.js';
import type { TargetAction } from './types.js';

const CREATE = 'CreateAccount';
const CORRELATE = 'CorrelateAccount';

/** POSTs at most, each sent only after a lookup showed that the previous one made nothing. */
const MAX_CREATE_ATTEMPTS = 8;

/** Which account field must hold which value for an account to belong to the person. */
interface Correlation {
  field: string;
  value: string;
}

interface CreateRequest {
  /** The account to create, built from Data. */
  account: User;
  correlation: Correlation | undefined;
}

/** What create will do, decided from reads alone. */
export type CreatePlan =
  | { kind: 'create'; account: User }
  | { kind: 'correlate'; account: User; correlation: Correlation }
  | { kind: 'ambiguous'; matches: User[]; correlation: Correlation };

interface Created {
  account: User;
  /** True when the POST's answer was lost and a lookup confirmed the account. */
  confirmedByLookup: boolean;
}

export const run: TargetAction = async (input) => {
  const request = readRequest(input.action);

  return underAccountLock(input, request.account.username, async () => {
    const plan = await planCreate(input.client, request);
    if (plan.kind !== 'create' || input.dryRun) return answer(reportPlan(plan, input.dryRun));

    const created = await createOnce(input.client, plan.account);
    return answer(reportCreated(created));
  });
};

/** Validates Data and the correlation settings before any request is sent. */
function readRequest(action: ActionContext): CreateRequest {
  return { account: accountFromData(action.Data ?? {}), correlation: readCorrelation(action) };
}

/** The account to create: every mapped field except roles, with empty values left out. */
function accountFromData(data: Record<string, unknown>): User {
  const raw = getKey(data, 'username');
  const username = typeof raw === 'number' ? String(raw) : raw;
  if (typeof username !== 'string' || username.trim() === '') {
    throw new InputError('The account to create has no username (actionContext.Data.username).', {
      suggestion: 'Map a username for the Create action in the field mapping.',
    });
  }
  const account: User = { username };
  for (const [name, value] of Object.entries(data)) {
    if (value === undefined || value === null || !isMappableField(name)) continue;
    account[accountKey(account, name)] = value;
  }
  return account;
}

function readCorrelation(action: ActionContext): Correlation | undefined {
  const config = action.CorrelationConfiguration;
  if (!config?.Enabled) return undefined;
  const field = config.AccountField;
  if (!field) {
    throw new InputError(
      'Correlation is enabled but names no account field (CorrelationConfiguration.AccountField).',
    );
  }
  const value: unknown = config.AccountFieldValue ?? config.PersonFieldValue;
  if (value === undefined || value === null || String(value).trim() === '') {
    const personField = config.PersonField ?? '(not named)';
    throw new InputError(
      `Correlation is enabled but the correlation value is empty: person field ${personField} ` +
        `gives no value for account field ${field}.`,
      { suggestion: 'Fill that field for this person, or correct the correlation settings.' },
    );
  }
  if (typeof value === 'object') {
    throw new InputError(`The correlation value for account field ${field} must be text.`);
  }
  return { field, value: String(value) };
}

/** Looks the person's account up when correlation is enabled, and decides what to do. */
async function planCreate(client: InPlanningClient, request: CreateRequest): Promise<CreatePlan> {
  const { correlation } = request;
  if (!correlation) return { kind: 'create', account: request.account };

  const matches = await findCorrelated(client, correlation);
  if (matches.length === 0) return { kind: 'create', account: request.account };
  const [only] = matches;
  if (matches.length === 1 && only) return { kind: 'correlate', account: only, correlation };
  return { kind: 'ambiguous', matches, correlation };
}

/** By username one GET suffices; any other field needs the whole user list. */
async function findCorrelated(client: InPlanningClient, correlation: Correlation) {
  if (correlation.field.toLowerCase() === 'username') {
    const user = await client.findUser(correlation.value);
    return user ? [user] : [];
  }
  const users = await client.listUsers();
  return users.filter((user) => correlates(getKey(user, correlation.field), correlation.value));
}

/** Text compares without regard to case or surrounding blanks, as engines' scripts do. */
function correlates(current: unknown, value: string): boolean {
  if (typeof current === 'string') {
    return current.trim().toLowerCase() === value.trim().toLowerCase();
  }
  return sameValue(current, value);
}

/**
 * POSTs the account. When a POST's outcome is unknown (timeout, reset, 5xx), or a later POST is
 * refused after such an outcome, the username is looked up: an account with the values sent is
 * ours, one with other values is someone else's, and no account means the POST may be sent again.
 */
async function createOnce(client: InPlanningClient, account: User): Promise<Created> {
  let uncertain = false;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return { account: await client.createUser(account), confirmedByLookup: false };
    } catch (error) {
      const refusedAfterLoss = uncertain && error instanceof RejectedError;
      if (!(error instanceof TransientError) && !refusedAfterLoss) throw error;
      uncertain = true;

      const existing = await client.findUser(account.username);
      if (existing) return adoptIfSame(existing, account);
      if (refusedAfterLoss || attempt >= MAX_CREATE_ATTEMPTS) throw error;
    }
  }
}

function adoptIfSame(existing: User, sent: User): Created {
  const differing = Object.keys(sent).filter((field) => !sameValue(existing[field], sent[field]));
  if (differing.length === 0) return { account: existing, confirmedByLookup: true };
  throw new ConflictError(
    `Account ${quote(sent.username)} already exists with other values ` +
      `(${differing.join(', ')}); it was not created by this action.`,
    { suggestion: 'Enable correlation on username, or choose another username.' },
  );
}

/** The answer for a plan that needs no POST: a correlation, a failure, or a preview. */
function reportPlan(plan: CreatePlan, dryRun: boolean): OutputContext {
  if (plan.kind === 'ambiguous') {
    const names = plan.matches.map((user) => quote(user.username)).join(', ');
    return failed(
      CORRELATE,
      `${plan.matches.length} accounts have ${plan.correlation.field} ` +
        `${quote(plan.correlation.value)} (${names}); correlation needs exactly one, ` +
        'so no account was linked or created.',
    );
  }
  if (plan.kind === 'correlate') {
    const { field, value } = plan.correlation;
    const verb = dryRun ? 'Preview: would correlate' : 'Correlated';
    const message = `${verb} account ${quote(plan.account.username)} on ${field} ${quote(value)}.`;
    return succeeded([auditLog(CORRELATE, message)], {
      AccountReference: plan.account.username,
      AccountCorrelated: true,
      Data: withoutArrays(plan.account),
    });
  }
  const { account } = plan;
  const message = `Preview: would create account ${quote(account.username)} ${fieldList(account)}.`;
  return createdOutput(account, message);
}

function reportCreated(created: Created): OutputContext {
  const { account } = created;
  const lost = created.confirmedByLookup
    ? " (InPlanning's answer was lost; a lookup confirmed the account)"
    : '';
  return createdOutput(
    account,
    `Created account ${quote(account.username)} ${fieldList(account)}${lost}.`,
  );
}

function createdOutput(account: User, message: string): OutputContext {
  return succeeded([auditLog(CREATE, message)], {
    AccountReference: account.username,
    AccountCorrelated: false,
    Data: withoutArrays(account),
  });
}

/** "with firstName "Jan", lastName "Bakker"": the fields of a new account, for the audit log. */
function fieldList(account: User): string {
  const fields = Object.entries(account).filter(
    ([name, value]) => name !== 'username' && !Array.isArray(value),
  );
  if (fields.length === 0) return 'with no other fields';
  return `with ${fields.map(([name, value]) => `${name} ${shown(value)}`).join(', ')}`;
}
