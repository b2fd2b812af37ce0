/**
 * Runs Complex mapping scripts in a `node:vm` context: no require, process, modules, timers or
 * network, a time limit per script, and each script compiled once per process. It guards
 * against an administrator's mistakes (an endless loop, a typo), not against a hostile one.
 */
import vm from 'node:vm';
import { ConnectorError, InputError, MappingError } from '../errors.js';
import { log } from '../log.js';

/** The time limit of one script when the caller sets none. */
export const DEFAULT_SCRIPT_TIMEOUT_MS = 1000;

/** One Complex script and the field it computes (for error messages). */
export interface ScriptSpec {
  field: string;
  source: string;
}

/** Scripts that run after setting the same globals (some of the sandbox's, in this order). */
export interface ScriptGroup {
  globals: string[];
  scripts: ScriptSpec[];
}

export interface SandboxOptions {
  /** The names scripts read their input from, such as `Person` and `Manager`. */
  globals: string[];
  /** The time limit of one script in ms (default 1000). */
  timeoutMs?: number | undefined;
}

/** Sets the group's globals to `values` (in the order of `globals`), then runs its scripts. */
export interface ScriptFrame {
  group: number;
  values: unknown[];
}

/** A mapping script failed; `frame` is the index of the frame it ran for. */
export class ScriptError extends MappingError {
  constructor(
    field: string,
    readonly frame: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(field, message, options);
  }
}

type RunField = (frameIndex: number, scriptIndex: number) => unknown;
type Install = (runField: RunField, budgetMs: number) => void;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

interface ActiveRun {
  frames: ScriptFrame[];
  compiled: vm.Script[][];
  specs: ScriptSpec[][];
}

interface Current {
  frame: number;
  field: string;
}

const compiledScripts = new Map<string, vm.Script>();

// `import` is refused before compiling: a dynamic import would reject with an error object of
// the host realm, whose constructor leads back to the host's Function and so to `process`.
const IMPORT_KEYWORD = /\bimport\b/;

/** Compiles a Complex script once per process; a syntax error names the field. */
export function compileScript(field: string, source: string): vm.Script {
  const cached = compiledScripts.get(source);
  if (cached) return cached;
  if (IMPORT_KEYWORD.test(source)) {
    throw new MappingError(
      field,
      `The mapping script of field "${field}" uses import, which mapping scripts cannot use.`,
    );
  }
  let script: vm.Script;
  try {
    // The block keeps `let`, `const` and `class` of one run from clashing with the next run;
    // a block's value is its last statement's, so the script's last expression still counts.
    script = new vm.Script(`{\n${source}\n}`, { filename: 'mapping-script.js', lineOffset: -1 });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MappingError(
      field,
      `The mapping script of field "${field}" is not valid JavaScript: ${reason}.`,
      { cause: error },
    );
  }
  compiledScripts.set(source, script);
  return script;
}

/**
 * One sandbox context, reused for every person. Work is handed to a small driver inside the
 * context in slices: each slice runs under one vm time limit, because starting Node's watchdog
 * costs about a tenth of a millisecond, far more than running a typical script.
 */
export class Sandbox {
  readonly timeoutMs: number;
  private readonly budgetMs: number;
  private readonly install: vm.Script;
  private context!: vm.Context;
  private globals!: Record<string, unknown>;
  private active: ActiveRun | undefined;
  private current: Current | undefined;

  constructor(options: SandboxOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SCRIPT_TIMEOUT_MS;
    if (!Number.isInteger(this.timeoutMs) || this.timeoutMs < 1) {
      throw new InputError(
        `The script time limit must be a whole number of ms, not ${options.timeoutMs}.`,
      );
    }
    this.budgetMs = Math.min(50, Math.max(1, Math.floor(this.timeoutMs / 4)));
    this.install = installScript(options.globals);
    installRejectionGuard();
    this.reset();
  }

  /**
   * Runs each frame's scripts in order and returns, per frame, the scripts' values as plain
   * JSON data of this realm (undefined and functions become null). A failure throws ScriptError.
   */
  run(groups: ScriptGroup[], frames: ScriptFrame[]): unknown[][] {
    const counts = frames.map((frame) => groupOf(groups, frame).scripts.length);
    const total = counts.reduce((sum, count) => sum + count, 0);
    if (total === 0) return frames.map(() => []);

    this.active = {
      frames,
      specs: groups.map((group) => group.scripts),
      compiled: groups.map((group) => group.scripts.map((s) => compileScript(s.field, s.source))),
    };
    try {
      this.begin(groups, frames);
      const texts = this.collect(total);
      return splitByFrame(texts, counts);
    } catch (error) {
      throw this.failure(error);
    } finally {
      this.active = undefined;
      this.current = undefined;
    }
  }

  private begin(groups: ScriptGroup[], frames: ScriptFrame[]): void {
    this.globals.__inplanningInput = encodeRequest(groups, frames);
    try {
      // Parsing runs none of the scripts, so it needs no time limit.
      BEGIN_SCRIPT.runInContext(this.context, { displayErrors: false });
    } finally {
      delete this.globals.__inplanningInput;
    }
  }

  private collect(total: number): (string | null)[] {
    const texts: (string | null)[] = [];
    const timeout = this.timeoutMs + this.budgetMs;
    while (texts.length < total) {
      const slice = STEP_SCRIPT.runInContext(this.context, { timeout, displayErrors: false });
      for (const text of JSON.parse(slice as string) as (string | null)[]) texts.push(text);
    }
    return texts;
  }

  private failure(error: unknown): unknown {
    if (error instanceof ConnectorError) return error;
    const current = this.current ?? { frame: 0, field: '(unknown)' };
    // The driver turns every script error into text; anything else stopped the run midway
    // and may leave the context half-changed, so the next run starts in a fresh one.
    if (typeof error !== 'string') this.reset();
    const reason = isTimeout(error)
      ? `did not finish within ${this.timeoutMs} ms and was stopped`
      : `failed: ${typeof error === 'string' ? error : 'the sandbox stopped unexpectedly'}`;
    return new ScriptError(
      current.field,
      current.frame,
      `The mapping script of field "${current.field}" ${reason}.`,
      { cause: error },
    );
  }

  private reset(): void {
    this.globals = Object.create(null) as Record<string, unknown>;
    this.context = vm.createContext(this.globals, {
      name: 'inplanning mapping',
      codeGeneration: { strings: false, wasm: false },
      // Promise callbacks then run inside the time limit instead of later in the host.
      microtaskMode: 'afterEvaluate',
    });
    const install = this.install.runInContext(this.context) as Install;
    install(this.runField, this.budgetMs);
  }

  /** Called by the driver inside the context; runs one script without a limit of its own. */
  private readonly runField: RunField = (frameIndex, scriptIndex) => {
    const active = this.active;
    const frame = active?.frames[frameIndex];
    const script = frame && active.compiled[frame.group]?.[scriptIndex];
    const spec = frame && active.specs[frame.group]?.[scriptIndex];
    if (!script || !spec) throw new InputError('The mapping driver asked for an unknown script.');
    this.current = { frame: frameIndex, field: spec.field };
    return script.runInContext(this.context, { displayErrors: false });
  };
}

function groupOf(groups: ScriptGroup[], frame: ScriptFrame): ScriptGroup {
  const group = groups[frame.group];
  if (!group) throw new InputError(`A mapping frame names group ${frame.group}, which is missing.`);
  return group;
}

function encodeRequest(groups: ScriptGroup[], frames: ScriptFrame[]): string {
  const request = {
    groups: groups.map((group) => ({ globals: group.globals, count: group.scripts.length })),
    frames: frames.map((frame) => [frame.group, frame.values]),
  };
  try {
    return JSON.stringify(request);
  } catch (error) {
    throw new InputError('The person cannot be handed to mapping scripts: it is not JSON data.', {
      cause: error,
    });
  }
}

function splitByFrame(texts: (string | null)[], counts: number[]): unknown[][] {
  let next = 0;
  return counts.map((count) => {
    const values: unknown[] = [];
    for (let i = 0; i < count; i += 1) {
      const text = texts[next++];
      values.push(text === null || text === undefined ? null : JSON.parse(text));
    }
    return values;
  });
}

/** Node's timeout error is made in the sandbox's realm, so it is recognised by its code. */
function isTimeout(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    Object.getOwnPropertyDescriptor(error, 'code')?.value === 'ERR_SCRIPT_EXECUTION_TIMEOUT'
  );
}

let rejectionGuardInstalled = false;

/**
 * A promise a script rejects and never handles would end the whole process (Node's default).
 * Such rejections come from a sandbox realm, so they are logged and dropped; rejections of
 * the host realm keep Node's default when nobody else listens.
 */
function installRejectionGuard(): void {
  if (rejectionGuardInstalled) return;
  rejectionGuardInstalled = true;
  process.on('unhandledRejection', (reason, promise) => {
    if (!(promise instanceof Promise)) {
      log().warn('A mapping script left a rejected promise unhandled; it was ignored.');
      return;
    }
    if (process.listenerCount('unhandledRejection') > 1) return;
    throw reason instanceof Error ? reason : new Error(`Unhandled rejection: ${String(reason)}`);
  });
}

/**
 * The driver's script for a set of global names. The names are `let` bindings of the script
 * scope rather than properties of the global object: scripts read them without going through
 * the context's property interceptors, which makes a typical script about twice as fast.
 */
function installScript(globals: string[]): vm.Script {
  const bad = globals.find((name) => !IDENTIFIER.test(name) || name.startsWith('__inplanning'));
  if (bad !== undefined || globals.length === 0) {
    throw new InputError(`The sandbox globals ${JSON.stringify(globals)} are not usable names.`);
  }
  // The setters are made outside the driver, so that its own names cannot shadow a global.
  const setters = globals.map((name) => `${name}: function (v) { ${name} = v; }`).join(', ');
  const source =
    `let ${globals.join(', ')};\n` +
    `(function (setters) { return ${DRIVER_SOURCE}; })({ __proto__: null, ${setters} })`;
  return new vm.Script(source, { filename: 'mapping-driver.js' });
}

// The driver lives inside the context. It keeps references to the built-ins it needs, so a
// script that overwrites JSON or Date does not break the next person, and it converts every
// result and error to text inside the time limit, so no object crosses between the realms.
const DRIVER_SOURCE = String.raw`(function install(runField, budgetMs) {
  'use strict';
  const global = globalThis;
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const now = Date.now;
  const toText = String;
  let groups = [];
  let frames = [];
  let frameIndex = 0;
  let scriptIndex = 0;
  let running = false;

  function describe(error) {
    try {
      if (error !== null && typeof error === 'object' && error.message !== undefined) {
        const name = error.name === undefined ? 'Error' : error.name;
        return toText(name) + ': ' + toText(error.message);
      }
      return toText(error);
    } catch (inner) {
      return 'an error that cannot be shown';
    }
  }

  function serialize(value) {
    const kind = typeof value;
    if (value !== null && (kind === 'object' || kind === 'function') &&
        typeof value.then === 'function') {
      throw 'it returned a Promise, but a mapping script must return its value directly';
    }
    const text = stringify(value);
    return text === undefined ? null : text;
  }

  function runUnit() {
    try {
      return serialize(runField(frameIndex, scriptIndex));
    } catch (error) {
      throw describe(error);
    }
  }

  function setGlobals(frame) {
    const names = groups[frame[0]].globals;
    const values = frame[1];
    for (let i = 0; i < names.length; i++) setters[names[i]](values[i]);
  }

  function enter() {
    if (running) throw 'a mapping script cannot call the mapping driver';
    running = true;
  }

  function begin(text) {
    enter();
    try {
      const request = parse(text);
      groups = request.groups;
      frames = request.frames;
      frameIndex = 0;
      scriptIndex = 0;
    } finally {
      running = false;
    }
  }

  function step() {
    enter();
    try {
      const started = now();
      const out = [];
      while (frameIndex < frames.length) {
        const frame = frames[frameIndex];
        const count = groups[frame[0]].count;
        if (scriptIndex === 0) setGlobals(frame);
        while (scriptIndex < count) {
          if (out.length > 0 && now() - started >= budgetMs) return stringify(out);
          out[out.length] = runUnit();
          scriptIndex++;
        }
        frameIndex++;
        scriptIndex = 0;
      }
      frames = [];
      return stringify(out);
    } finally {
      running = false;
    }
  }

  Object.defineProperty(global, '__inplanningBegin', { value: begin });
  Object.defineProperty(global, '__inplanningStep', { value: step });
})`;

const BEGIN_SCRIPT = new vm.Script('__inplanningBegin(__inplanningInput)');
const STEP_SCRIPT = new vm.Script('__inplanningStep()');
