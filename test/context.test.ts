import { describe, expect, it } from 'vitest';
import { getKey, getPath, parseInvocation } from '../src/context.js';
import { InputError } from '../src/errors.js';

function inputErrorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError, but nothing was thrown');
}

describe('parseInvocation', () => {
  it('matches the contract keys case-insensitively at every level', () => {
    const text = JSON.stringify({
      ActionContext: {
        configuration: { clientId: 'kept-as-sent' },
        dryrun: 'True',
        REFERENCES: { account: 'j.jansen@example.nl', Permission: { reference: 'Planner' } },
        correlationConfiguration: { enabled: 'true', personfield: 'Person.ExternalId' },
        currentPermissions: [{ displayName: 'Planner', reference: { id: 'P1' } }],
      },
      PERSONCONTEXT: { person: { ExternalId: 'E1' } },
    });
    const invocation = parseInvocation(text, 'a test');
    const action = invocation.actionContext;
    expect(action.DryRun).toBe(true);
    expect(action.References?.Account).toBe('j.jansen@example.nl');
    expect(action.References?.Permission?.Reference).toBe('Planner');
    expect(action.CorrelationConfiguration?.Enabled).toBe(true);
    expect(action.CorrelationConfiguration?.PersonField).toBe('Person.ExternalId');
    expect(action.CurrentPermissions?.[0]).toMatchObject({
      DisplayName: 'Planner',
      Reference: { Id: 'P1' },
    });
    // Free-form objects keep their keys as the engine sent them.
    expect(action.Configuration).toEqual({ clientId: 'kept-as-sent' });
    expect(invocation.personContext.Person).toEqual({ ExternalId: 'E1' });
  });

  it('gives empty contexts when none are sent', () => {
    const invocation = parseInvocation('{}', 'the defaults');
    expect(invocation.actionContext).toEqual({});
    expect(invocation.personContext).toEqual({});
  });

  it('reads numbers as text and empty text as absent', () => {
    const text = JSON.stringify({ actionContext: { References: { Account: 42 }, Operation: '' } });
    const action = parseInvocation(text, 'a test').actionContext;
    expect(action.References?.Account).toBe('42');
    expect(action.Operation).toBeUndefined();
  });

  it('keeps keys the contract does not name', () => {
    const text = JSON.stringify({ actionContext: { Extra: 1 }, somethingElse: true });
    const invocation = parseInvocation(text, 'a test') as Record<string, unknown>;
    expect(invocation.actionContext).toEqual({ Extra: 1 });
    expect(invocation.somethingElse).toBe(true);
  });

  it('accepts a byte order mark', () => {
    expect(
      parseInvocation('\uFEFF{"actionContext":{"DryRun":true}}', 'x').actionContext.DryRun,
    ).toBe(true);
  });

  it('refuses text that is not JSON, naming the source and quoting none of it', () => {
    const error = inputErrorOf(() =>
      parseInvocation(
        '{"actionContext": {"Configuration": {"ClientSecret": s3cret-value}}}',
        'stdin',
      ),
    );
    expect(error.code).toBe('INPUT');
    expect(error.message).toBe('The context from stdin is not valid JSON.');
    expect(String(error.cause)).not.toContain('s3cret');
  });

  it.each(['[]', 'null', '"text"', '3'])('refuses %s as not one object', (text) => {
    expect(inputErrorOf(() => parseInvocation(text, 'ctx.json')).message).toContain(
      'must be one JSON object',
    );
  });

  it('names where a context breaks the contract', () => {
    const text = JSON.stringify({ actionContext: { CurrentPermissions: 'Planner' } });
    const error = inputErrorOf(() => parseInvocation(text, 'ctx.json'));
    expect(error.message).toContain('actionContext.CurrentPermissions');
  });
});

describe('getKey and getPath', () => {
  const person = { Name: { GivenName: 'Jan', nickName: 'Janneke' }, Contracts: [] };

  it('find keys whatever their case, preferring an exact match', () => {
    expect(getKey({ name: 'lower', Name: 'exact' }, 'Name')).toBe('exact');
    expect(getKey({ NAME: 'upper' }, 'name')).toBe('upper');
    expect(getKey(undefined, 'name')).toBeUndefined();
  });

  it('follow dotted paths and give null for missing steps', () => {
    expect(getPath({ Person: person }, 'person.name.NickName')).toBe('Janneke');
    expect(getPath({ Person: person }, 'Person.Name.Missing')).toBeNull();
    expect(getPath({ Person: person }, 'Person.Name.GivenName.Deeper')).toBeNull();
    expect(getPath(null, 'Person')).toBeNull();
  });
});
