import { describeValue, dropAllCompiledEmits, tracingEnabled } from '../trace/channel.js';
import type { Context, Listener } from '../types.js';
import { EMPTY_CONTEXT, isThenable, RESOLVED } from './arguments.js';
import type { ListenerEntry, SignalBase } from './base.js';
import { continueChain, runChainFrom } from './chain.js';

/**
 * The number of emits with an unchanged listener set after which a sync signal compiles that
 * set. Any add, remove or reset starts the count again, so a signal whose listeners change
 * between emits compiles at most once per this many emits.
 */
export const COMPILE_AFTER_EMITS = 8;

/**
 * The largest listener set that gets a compiled emit. Larger sets stay on the loop, because the
 * generated source and its compile time grow with every listener.
 */
export const MAX_COMPILED_LISTENERS = 128;

/** A sync signal's `emit` or `tryEmit` generated for one listener set. It takes a checked `ctx`. */
export type CompiledChain<T> = (payload: T, ctx: Context) => Promise<void>;

/** The public `emit` or `tryEmit` signature, for the methods a signal falls back to. */
export type EmitMethod<T> = (this: SignalBase<T>, payload: T, ctx?: Context) => Promise<void>;

/** Builds a function from parameter names and a body, as `new Function(...params, body)` does. */
export type FunctionCompiler = (params: readonly string[], body: string) => unknown;

const compileWithFunction: FunctionCompiler = (params, body) => new Function(...params, body);

let compiler: FunctionCompiler = compileWithFunction;
let switchedOn = true;
let evalBlocked = false;
let compilations = 0;

/**
 * Whether signals may compile. Compiled emits never read this binding: turning it off removes
 * the compiled emit from every live signal.
 */
export let compiledEmitEnabled = true;

function updateEnabled(): void {
  const wasEnabled = compiledEmitEnabled;
  compiledEmitEnabled = switchedOn && !evalBlocked;
  if (wasEnabled && !compiledEmitEnabled) dropAllCompiledEmits();
}

/**
 * Turns compiled sync emits on or off for every signal in this copy of the module. On by default.
 * While on, a `SyncSignal` whose listener set has run {@link COMPILE_AFTER_EMITS} emits
 * unchanged gets an `emit` and a `tryEmit` generated with `new Function` for exactly that set,
 * so V8 can inline each listener at its own call site. Turn it off to keep `new Function` out of
 * the process or to get stack traces without the generated frames. Turning it off removes the
 * compiled methods from every live signal at once, which takes time in proportion to the number
 * of live signals, breakers and sagas.
 *
 * @example
 * experimental_setCompiledEmit(false);
 */
export function experimental_setCompiledEmit(enabled: boolean): void {
  if (typeof enabled !== 'boolean') {
    throw new TypeError(
      `experimental_setCompiledEmit: "enabled" must be true or false, received ${describeValue(enabled)}`,
    );
  }

  switchedOn = enabled;
  updateEnabled();
}

/**
 * @internal Replaces `new Function` for tests; `undefined` restores it and clears the memory of an
 * earlier EvalError.
 */
export function setFunctionCompilerForTesting(replacement: FunctionCompiler | undefined): void {
  compiler = replacement ?? compileWithFunction;
  evalBlocked = false;
  updateEnabled();
}

/** @internal How many listener sets have been compiled since the process started. */
export function countCompilations(): number {
  return compilations;
}

/** @internal Whether `new Function` threw an EvalError, so that nothing compiles any more. */
export function isEvalBlocked(): boolean {
  return evalBlocked;
}

// The catch path of a compiled emit: the rest of the chain runs on the loop, as it does after a
// throw in the uncompiled emit.
function continueAfterThrow<T>(
  signal: SignalBase<T>,
  listeners: Listener<T>[],
  entries: readonly ListenerEntry[],
  index: number,
  error: unknown,
  payload: T,
  ctx: Context,
): Promise<void> {
  signal.reportListenerError(error, index, entries);
  return runChainFrom(signal, listeners, entries, index + 1, payload, ctx);
}

function rejectWith(reason: unknown): Promise<never> {
  return Promise.reject(reason);
}

/** Names of the helpers every generated function receives after the listeners, in order. */
const HELPER_PARAMS = [
  'signal',
  'listeners',
  'entries',
  'isThenable',
  'continueChain',
  'continueAfterThrow',
  'rejectWith',
  'resolved',
  'emptyContext',
  'fallbackEmit',
  'fallbackTryEmit',
] as const;

type ChainMode = 'emit' | 'tryEmit';

/**
 * Writes the steps of one generated chain: per listener an abort check (only `withContext`), the
 * call, and the hand-over to the shared helpers on a throw or a thenable. The steps do what the
 * uncompiled `emit` (`runChainFrom`) and `tryEmit` loops do at the same index.
 */
function writeSteps(count: number, mode: ChainMode, withContext: boolean): string[] {
  const ctx = withContext ? 'ctx' : 'emptyContext';
  const stopOnFailure = mode === 'tryEmit';
  const steps: string[] = [];

  for (let index = 0; index < count; index++) {
    if (withContext) {
      const onAbort = stopOnFailure ? 'rejectWith(abortSignal.reason)' : 'resolved';
      steps.push(`  if (abortSignal !== undefined && abortSignal.aborted) return ${onAbort};`);
    }
    const onThrow = stopOnFailure
      ? 'rejectWith(error)'
      : `continueAfterThrow(signal, listeners, entries, ${index}, error, payload, ${ctx})`;
    steps.push(
      `  try { value = l${index}(payload, ${ctx}); } catch (error) { return ${onThrow}; }`,
      `  if (value !== undefined && isThenable(value)) return continueChain(signal, listeners, entries, ${index}, value, payload, ${ctx}, ${stopOnFailure}, undefined);`,
    );
  }
  return steps;
}

function writeChain(name: string, count: number, mode: ChainMode, withContext: boolean): string[] {
  return [
    `function ${name}(payload${withContext ? ', ctx' : ''}) {`,
    withContext ? '  const abortSignal = ctx.signal;' : '',
    '  let value;',
    ...writeSteps(count, mode, withContext),
    '  return resolved;',
    '}',
  ];
}

/**
 * Writes the source of a factory for `count` listeners named `l0` to `l<count - 1>`. The
 * factory returns `[compiledEmitWithContext, compiledTryEmitWithContext, publicEmit,
 * publicTryEmit, invalidate]`. The first two take a checked `ctx`. The public two have the
 * methods' signatures: without `ctx` and until `invalidate` runs, they run a chain without abort
 * checks, and otherwise they call the prototype method. They check no tracing or module flag,
 * because the signal drops them, which calls `invalidate`, when tracing starts or compiled emits
 * are turned off. `live` stays for a caller that kept a reference, as in
 * `const emit = signal.emit`: after `invalidate` its calls take the prototype method, which
 * traces. `live` is a `var`, because a `let` read from the inner functions may cost a check
 * for the temporal dead zone.
 *
 * The source holds only indexes and `serial`, never a name or key. `serial` makes every source
 * unique: V8 caches `new Function` by source text, and functions from one cached source share
 * call feedback, which would undo the per-set inlining.
 */
function writeChainSource(count: number, serial: number): string {
  return [
    "'use strict';",
    `// sigscope compiled chain ${serial} for ${count} listeners`,
    'var live = true;',
    ...writeChain('compiledEmitWithContext', count, 'emit', true),
    ...writeChain('compiledTryEmitWithContext', count, 'tryEmit', true),
    ...writeChain('compiledEmit', count, 'emit', false),
    ...writeChain('compiledTryEmit', count, 'tryEmit', false),
    'function publicEmit(payload, ctx) {',
    '  if (ctx === undefined && live) return compiledEmit(payload);',
    '  return fallbackEmit.call(signal, payload, ctx);',
    '}',
    'function publicTryEmit(payload, ctx) {',
    '  if (ctx === undefined && live) return compiledTryEmit(payload);',
    '  return fallbackTryEmit.call(signal, payload, ctx);',
    '}',
    'function invalidate() {',
    '  live = false;',
    '}',
    'return [compiledEmitWithContext, compiledTryEmitWithContext, publicEmit, publicTryEmit, invalidate];',
  ].join('\n');
}

/** The functions {@link compileChain} generates, or `undefined` when it generated none. */
export type CompileResult<T> =
  | {
      readonly emit: CompiledChain<T>;
      readonly tryEmit: CompiledChain<T>;
      readonly publicEmit: EmitMethod<T>;
      readonly publicTryEmit: EmitMethod<T>;
      /** Makes the public methods call the prototype methods from now on. */
      readonly invalidate: () => void;
    }
  | undefined;

/**
 * Compiles `emit` and `tryEmit` for the listener arrays `listeners` and `entries`, which the
 * caller must have marked shared so that no later add or remove changes them. `fallback` contains
 * the prototype methods that the public versions call when they cannot run the compiled code.
 * Returns `undefined` when compilation is off, a trace subscriber is attached, the set is empty
 * or larger than {@link MAX_COMPILED_LISTENERS}, or `new Function` failed. An EvalError (a
 * Content-Security-Policy without `'unsafe-eval'`, or Node's
 * `--disallow-code-generation-from-strings`) turns compilation off for the rest of the process.
 */
export function compileChain<T>(
  signal: SignalBase<T>,
  listeners: Listener<T>[],
  entries: readonly ListenerEntry[],
  fallback: { readonly emit: EmitMethod<T>; readonly tryEmit: EmitMethod<T> },
): CompileResult<T> {
  const count = listeners.length;
  if (!compiledEmitEnabled || tracingEnabled) return undefined;
  if (count === 0 || count > MAX_COMPILED_LISTENERS) return undefined;

  const params: string[] = [];
  for (let index = 0; index < count; index++) params.push(`l${index}`);
  params.push(...HELPER_PARAMS);

  let factory: unknown;
  try {
    factory = compiler(params, writeChainSource(count, compilations + 1));
  } catch (error) {
    if (error instanceof EvalError) {
      evalBlocked = true;
      updateEnabled();
    }
    // NOTE: any other error, such as a stack overflow while compiling deep in a recursion,
    // leaves only this listener set on the loop. The next change of the set tries again.
    return undefined;
  }

  compilations++;
  type Compiled = [CompiledChain<T>, CompiledChain<T>, EmitMethod<T>, EmitMethod<T>, () => void];
  const [emit, tryEmit, publicEmit, publicTryEmit, invalidate] = (
    factory as (...args: unknown[]) => Compiled
  )(
    ...listeners,
    signal,
    listeners,
    entries,
    isThenable,
    continueChain,
    continueAfterThrow,
    rejectWith,
    RESOLVED,
    EMPTY_CONTEXT,
    fallback.emit,
    fallback.tryEmit,
  );
  return { emit, tryEmit, publicEmit, publicTryEmit, invalidate };
}
