import { describe, expect, it } from 'vitest';
import { MappingError } from '../../src/errors.js';
import {
  Sandbox,
  ScriptError,
  compileScript,
  type ScriptGroup,
} from '../../src/mapping/sandbox.js';

const LIMIT_MS = 100;

function sandboxWith(timeoutMs?: number): Sandbox {
  return new Sandbox({ globals: ['Person', 'Manager'], timeoutMs });
}

function group(...sources: string[]): ScriptGroup[] {
  return [
    {
      globals: ['Person', 'Manager'],
      scripts: sources.map((source, index) => ({ field: `field${index + 1}`, source })),
    },
  ];
}

function runOne(source: string, person: unknown = {}, sandbox = sandboxWith(LIMIT_MS)) {
  return sandbox.run(group(source), [{ group: 0, values: [person, null] }])[0]?.[0];
}

function failureOf(action: () => unknown): ScriptError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ScriptError);
    return error as ScriptError;
  }
  throw new Error('expected the script to fail');
}

describe('Sandbox results', () => {
  it('returns the value of the last expression as plain data of this realm', () => {
    const sandbox = sandboxWith();
    const frames = [
      { group: 0, values: [{ Name: { FamilyName: 'Jansen' } }, { DisplayName: 'Boss' }] },
      { group: 0, values: [{ Name: { FamilyName: 'Bos' } }, null] },
    ];
    const values = sandbox.run(
      group(
        'Person.Name.FamilyName.toUpperCase()',
        'function getValue() {\r\n' +
          '  return [Person.Name.FamilyName, Manager && Manager.DisplayName];\r\n' +
          '}\r\ngetValue();',
        '({ length: Person.Name.FamilyName.length })',
      ),
      frames,
    );

    expect(values).toEqual([
      ['JANSEN', ['Jansen', 'Boss'], { length: 6 }],
      ['BOS', ['Bos', null], { length: 3 }],
    ]);
    const list = values[0]?.[1];
    expect(Array.isArray(list)).toBe(true);
    expect(Object.getPrototypeOf(values[0]?.[2])).toBe(Object.prototype);
  });

  it('lets every run declare the same let, const and class names again', () => {
    const sandbox = sandboxWith();
    const scripts = group(
      'let name = Person.Name; const x = 1; class A {}; name.FamilyName + x',
      'let name = "other"; name',
    );
    const frames = [1, 2, 3].map((n) => ({
      group: 0,
      values: [{ Name: { FamilyName: `P${n}` } }, null],
    }));

    expect(sandbox.run(scripts, frames)).toEqual([
      ['P11', 'other'],
      ['P21', 'other'],
      ['P31', 'other'],
    ]);
  });

  it('accepts a last line that is a comment and turns undefined and functions into null', () => {
    expect(runOne('Person.Missing // no newline at the end')).toBeNull();
    expect(runOne('(function () {})')).toBeNull();
    expect(runOne('var nothing;')).toBeNull();
  });

  it('gives scripts a copy of the person made in their own realm', () => {
    const person = { Name: { FamilyName: 'Jansen' } };
    const value = runOne(
      'Person.Name.FamilyName = "changed";\n' +
        '[Person.constructor === Object, Object.getPrototypeOf(Person) === Object.prototype]',
      person,
    );

    expect(value).toEqual([true, true]);
    expect(person.Name.FamilyName).toBe('Jansen');
  });

  it('sets the globals afresh for each person, null where a value is missing', () => {
    const sandbox = sandboxWith();
    const frames = [
      { group: 0, values: [{ ExternalId: '1' }, { ExternalId: 'm1' }] },
      { group: 0, values: [{ ExternalId: '2' }, null] },
    ];
    const values = sandbox.run(group('[Person.ExternalId, Manager && Manager.ExternalId]'), frames);

    expect(values).toEqual([[['1', 'm1']], [['2', null]]]);
  });

  it('keeps one context per sandbox, so work survives a script that breaks built-ins', () => {
    const sandbox = sandboxWith();
    const first = sandbox.run(group('JSON = null; Date = null; Array.prototype.push = null; 1'), [
      { group: 0, values: [{}, null] },
    ]);
    const second = sandbox.run(group('Person.ExternalId'), [
      { group: 0, values: [{ ExternalId: 'still works' }, null] },
    ]);

    expect(first).toEqual([[1]]);
    expect(second).toEqual([['still works']]);
  });

  it('runs scripts that together outlast the time limit without stopping them', () => {
    const limit = 200;
    const sandbox = sandboxWith(limit);
    // 60 scripts of 5 ms each: together longer than the limit, each far below it.
    const wait = 'var until = Date.now() + 5; while (Date.now() < until) {} Person.n';
    const frames = Array.from({ length: 30 }, (_, n) => ({ group: 0, values: [{ n }, null] }));
    const started = Date.now();
    const values = sandbox.run(group(wait, wait), frames);

    expect(Date.now() - started).toBeGreaterThan(limit);
    expect(values).toHaveLength(30);
    expect(values[29]).toEqual([29, 29]);
  });
});

describe('Sandbox failures', () => {
  it('names the field and the cause when a script throws', () => {
    const error = failureOf(() =>
      sandboxWith().run(group('1', 'Person.Accounts.MicrosoftActiveDirectory.mail'), [
        { group: 0, values: [{}, null] },
      ]),
    );

    expect(error.field).toBe('field2');
    expect(error.frame).toBe(0);
    expect(error.message).toMatch(
      /field "field2" failed: TypeError: Cannot read properties of undefined/,
    );
  });

  it('reports a thrown value that is not an Error', () => {
    const error = failureOf(() => runOne('throw "no e-mail known"'));
    expect(error.message).toContain('failed: no e-mail known');
  });

  it('names the person frame a script failed for', () => {
    const frames = [
      { group: 0, values: [{ ok: true }, null] },
      { group: 0, values: [{ ok: false }, null] },
    ];
    const error = failureOf(() =>
      sandboxWith().run(group('if (!Person.ok) throw new Error("bad person"); 1'), frames),
    );
    expect(error.frame).toBe(1);
  });

  it('stops an endless loop within the time limit and stays usable', () => {
    const sandbox = sandboxWith(LIMIT_MS);
    const started = Date.now();
    const error = failureOf(() => runOne('while (true) {}', {}, sandbox));
    const elapsed = Date.now() - started;

    expect(error.field).toBe('field1');
    expect(error.message).toContain(`did not finish within ${LIMIT_MS} ms`);
    expect(elapsed).toBeGreaterThanOrEqual(LIMIT_MS - 5);
    expect(elapsed).toBeLessThan(LIMIT_MS * 3);
    expect(runOne('Person.ExternalId', { ExternalId: 'after' }, sandbox)).toBe('after');
  });

  it('stops an endless loop in a promise callback as well', () => {
    const error = failureOf(() => runOne('Promise.resolve().then(() => { for (;;) {} }); 1'));
    expect(error.message).toContain('did not finish');
  });

  it('refuses a script that returns a promise', () => {
    const error = failureOf(() => runOne('(async () => Person.ExternalId)()', { ExternalId: '1' }));
    expect(error.message).toContain('returned a Promise');
  });

  it('refuses a value that is not JSON data', () => {
    expect(failureOf(() => runOne('10n')).message).toContain('BigInt');
    expect(failureOf(() => runOne('var a = {}; a.self = a; a')).message).toMatch(/circular/i);
  });

  it('refuses a script that calls the driver', () => {
    const error = failureOf(() => runOne('__inplanningStep()'));
    expect(error.message).toContain('cannot call the mapping driver');
  });
});

describe('Sandbox isolation', () => {
  it.each([
    ['process', 'process.env'],
    ['require', 'require("fs")'],
    ['setTimeout', 'setTimeout(function () {}, 1)'],
    ['setInterval', 'setInterval(function () {}, 1)'],
    ['fetch', 'fetch("http://127.0.0.1/")'],
    ['module', 'module.exports'],
  ])('has no %s', (name, source) => {
    const error = failureOf(() => runOne(source));
    expect(error.message).toContain(`ReferenceError: ${name} is not defined`);
  });

  it('shows no host globals at all', () => {
    const value = runOne(
      `[typeof process, typeof require, typeof module, typeof setTimeout, typeof setInterval,
        typeof setImmediate, typeof queueMicrotask, typeof fetch, typeof Buffer,
        typeof globalThis.process]`,
    );
    expect(value).toEqual(Array(10).fill('undefined'));
  });

  it.each([
    ['this.constructor.constructor', 'this.constructor.constructor("return process")()'],
    ['globalThis.constructor', 'globalThis.constructor.constructor("return process")()'],
    ['the person', 'Person.constructor.constructor("return process")()'],
    ['a function', '(function () {}).constructor("return process")()'],
    ['eval', 'eval("process")'],
  ])('refuses to build code from text through %s', (_name, source) => {
    const error = failureOf(() => runOne(source));
    expect(error.message).toContain('Code generation from strings disallowed');
  });

  it('refuses import before running anything', () => {
    expect(() => compileScript('email', 'import("node:fs")')).toThrow(MappingError);
    expect(() => compileScript('email', 'import /* hidden */ ("node:fs")')).toThrow(
      /field "email" uses import/,
    );
  });

  it('refuses WebAssembly', () => {
    const bytes = '[0, 97, 115, 109, 1, 0, 0, 0]';
    const error = failureOf(() => runOne(`new WebAssembly.Module(new Uint8Array(${bytes}))`));
    expect(error.message).toMatch(/WebAssembly|Wasm code generation disallowed/);
  });
});

describe('Sandbox globals', () => {
  it('lets scripts read and replace their inputs as plain variables', () => {
    const sandbox = sandboxWith();
    const frames = [
      { group: 0, values: [{ n: 1 }, null] },
      { group: 0, values: [{ n: 2 }, null] },
    ];
    const values = sandbox.run(
      group('Person = { n: Person.n * 10 }; Person.n', 'Person.n'),
      frames,
    );
    expect(values).toEqual([
      [10, 10],
      [20, 20],
    ]);
  });

  it('refuses globals that are not plain names', () => {
    expect(() => new Sandbox({ globals: ['Person.Name'] })).toThrow(/not usable names/);
    expect(() => new Sandbox({ globals: [] })).toThrow(/not usable names/);
  });
});

describe('compileScript', () => {
  it('compiles a script once per process, whatever field uses it', () => {
    const source = 'Person.ExternalId + "-cached"';
    expect(compileScript('a', source)).toBe(compileScript('b', source));
  });

  it('names the field of a script with a syntax error', () => {
    expect(() => compileScript('lastName', 'function ( {')).toThrow(
      /field "lastName" is not valid JavaScript/,
    );
  });
});
