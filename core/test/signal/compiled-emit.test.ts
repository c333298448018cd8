import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type Context,
  createSyncSignal,
  experimental_setCompiledEmit,
  type ListenerErrorInfo,
  SyncSignal,
  traceChannel,
} from '../../src/index.js';
import {
  COMPILE_AFTER_EMITS,
  countCompilations,
  type FunctionCompiler,
  isEvalBlocked,
  MAX_COMPILED_LISTENERS,
  setFunctionCompilerForTesting,
} from '../../src/signal/compiled-emit.js';
import { deferred, flushMicrotasks } from '../support/deferred.js';
import { recordTrace } from '../support/record-trace.js';

// The core-traced project runs this file with a trace subscriber attached. Every emit then takes
// the traced path and nothing compiles, so the checks on compiled state apply only without one,
// while the behaviour checks run in both projects.
const tracing = traceChannel.hasSubscribers;

afterEach(() => {
  setFunctionCompilerForTesting(undefined);
  experimental_setCompiledEmit(true);
  vi.restoreAllMocks();
});

/** Listeners that record `label:payload` unless `quiet` is set, for warming a signal up. */
function recorder() {
  const calls: string[] = [];
  const state = { quiet: false };
  const listener =
    (label: string) =>
    (payload: number): void => {
      if (!state.quiet) calls.push(`${label}:${payload}`);
    };
  return { calls, state, listener };
}

/** Emits `COMPILE_AFTER_EMITS` times with listeners quiet, so the next emit is compiled. */
async function warmUp(signal: SyncSignal<number>, state: { quiet: boolean }): Promise<void> {
  state.quiet = true;
  for (let index = 0; index < COMPILE_AFTER_EMITS; index++) await signal.emit(-1);
  state.quiet = false;
  if (!tracing) expect(signal.compiledEmit).toBeTypeOf('function');
}

/** Returns the names of the generated functions on the stack, innermost first. */
function generatedFramesOnStack(): string[] {
  const stack = new Error('probe').stack ?? '';
  return [...stack.matchAll(/at (?:\w+\.)?(compiled\w+|public\w+) /g)].map((match) => match[1]!);
}

/** A compiler that records every source it is given and then compiles it for real. */
function recordSources(): string[] {
  const sources: string[] = [];
  const compile: FunctionCompiler = (params, body) => {
    sources.push(body);
    return new Function(...params, body);
  };
  setFunctionCompilerForTesting(compile);
  return sources;
}

describe.skipIf(tracing)('SyncSignal compiled emit tiering', () => {
  it('compiles after the threshold of emits', async () => {
    const { state, listener } = recorder();
    const signal = createSyncSignal<number>();
    signal.addListener(listener('a'));
    const before = countCompilations();

    state.quiet = true;
    for (let index = 0; index < COMPILE_AFTER_EMITS - 1; index++) await signal.emit(index);
    expect(signal.compiledEmit).toBeUndefined();
    expect(countCompilations()).toBe(before);

    await signal.emit(0);
    expect(signal.compiledEmit).toBeTypeOf('function');
    expect(signal.compiledTryEmit).toBeTypeOf('function');
    expect(countCompilations()).toBe(before + 1);
  });

  it('runs the compiled functions from emit and tryEmit', async () => {
    const frames: string[][] = [];
    const state = { quiet: false };
    const signal = createSyncSignal<number>();
    signal.addListener(() => {
      if (!state.quiet) frames.push(generatedFramesOnStack());
    });
    signal.addListener(() => {});
    await warmUp(signal, state);

    await signal.emit(1);
    await signal.emit(2, { signal: new AbortController().signal });
    await signal.tryEmit(3);
    await signal.tryEmit(4, {});

    expect(frames).toEqual([
      ['compiledEmit', 'publicEmit'],
      ['compiledEmitWithContext', 'publicEmit'],
      ['compiledTryEmit', 'publicTryEmit'],
      ['compiledTryEmitWithContext', 'publicTryEmit'],
    ]);
  });

  it('installs the compiled methods on the instance', async () => {
    const state = { quiet: false };
    const signal = createSyncSignal<number>();
    signal.addListener(() => {}, 'a');
    expect(Object.hasOwn(signal, 'emit')).toBe(false);

    await warmUp(signal, state);
    expect(signal.emit).not.toBe(SyncSignal.prototype.emit);
    expect(signal.tryEmit).not.toBe(SyncSignal.prototype.tryEmit);

    signal.removeListener('a');
    expect(signal.emit).toBe(SyncSignal.prototype.emit);
    expect(signal.tryEmit).toBe(SyncSignal.prototype.tryEmit);
  });

  it('runs the current set from a stale emit reference', async () => {
    const { calls, state, listener } = recorder();
    const signal = createSyncSignal<number>();
    signal.addListener(listener('a'), 'a');
    await warmUp(signal, state);
    const staleEmit = signal.emit;
    const staleTryEmit = signal.tryEmit;

    signal.removeListener('a');
    signal.addListener(listener('b'), 'b');
    await staleEmit(1);
    await staleTryEmit(2);

    expect(calls).toEqual(['b:1', 'b:2']);
  });

  it('keeps an emit patched on the instance', async () => {
    const { calls, state, listener } = recorder();
    const signal = createSyncSignal<number>();
    signal.addListener(listener('a'));
    const original = signal.emit.bind(signal);
    const patched = vi.fn((payload: number) => original(payload));
    signal.emit = patched;

    await warmUp(signal, state);
    await signal.emit(1);

    expect(signal.emit).toBe(patched);
    expect(patched).toHaveBeenCalledTimes(COMPILE_AFTER_EMITS + 1);
    expect(calls).toEqual(['a:1']);
  });

  it('keeps a subclass override of emit', async () => {
    const seen: number[] = [];
    class AuditedSignal extends SyncSignal<number> {
      override emit(payload: number, ctx?: Context): Promise<void> {
        seen.push(payload);
        return super.emit(payload, ctx);
      }
    }
    const { calls, state, listener } = recorder();
    const signal = new AuditedSignal();
    signal.addListener(listener('a'));

    await warmUp(signal, state);
    await signal.emit(1);

    expect(Object.hasOwn(signal, 'emit')).toBe(false);
    expect(seen).toHaveLength(COMPILE_AFTER_EMITS + 1);
    expect(calls).toEqual(['a:1']);
  });

  it('counts emit, emit with ctx and tryEmit together', async () => {
    const signal = createSyncSignal<number>();
    signal.addListener(() => {});
    const before = countCompilations();

    for (let index = 0; index < COMPILE_AFTER_EMITS; index++) {
      if (index % 3 === 0) await signal.emit(index);
      else if (index % 3 === 1) await signal.emit(index, {});
      else await signal.tryEmit(index);
    }

    expect(countCompilations()).toBe(before + 1);
  });

  it('never compiles while adds interleave with emits', async () => {
    const signal = createSyncSignal<number>();
    const before = countCompilations();

    for (let round = 0; round < 100; round++) {
      signal.addListener(() => {});
      await signal.emit(round);
    }

    expect(countCompilations()).toBe(before);
    expect(signal.compiledEmit).toBeUndefined();
  });

  it('compiles at most once per threshold of emits', async () => {
    const signal = createSyncSignal<number>();
    const before = countCompilations();
    const rounds = 20;

    for (let round = 0; round < rounds; round++) {
      signal.addListener(() => {}, `key-${round}`);
      if (round % 2 === 1) signal.removeListener(`key-${round - 1}`);
      for (let index = 0; index < COMPILE_AFTER_EMITS * 3; index++) await signal.emit(index);
    }

    expect(countCompilations()).toBe(before + rounds);
  });

  it('drops the compiled functions on add, remove and reset', async () => {
    const { state, listener } = recorder();
    const signal = createSyncSignal<number>();
    signal.addListener(listener('a'), 'a');

    const changes: [string, () => void][] = [
      ['addListener', () => signal.addListener(listener('b'), 'b')],
      ['removeListener', () => signal.removeListener('b')],
      ['reset', () => signal.reset()],
    ];
    for (const [name, change] of changes) {
      if (signal.isEmpty()) signal.addListener(listener('a'), 'a');
      await warmUp(signal, state);
      change();
      expect(signal.compiledEmit, name).toBeUndefined();
      expect(signal.compiledTryEmit, name).toBeUndefined();
      expect(signal.stableEmits, name).toBe(0);
    }
  });

  it('keeps compiled code on a duplicate key', async () => {
    const { state, listener } = recorder();
    const signal = createSyncSignal<number>();
    signal.addListener(listener('a'), 'a');
    await warmUp(signal, state);

    expect(signal.addListener(listener('again'), 'a')).toBe(-1);
    expect(signal.removeListener('missing')).toBe(-1);

    expect(signal.compiledEmit).toBeTypeOf('function');
  });

  it('compiles up to the maximum listener count', async () => {
    const within = createSyncSignal<number>();
    const above = createSyncSignal<number>();
    for (let index = 0; index < MAX_COMPILED_LISTENERS; index++) within.addListener(() => {});
    for (let index = 0; index <= MAX_COMPILED_LISTENERS; index++) above.addListener(() => {});

    for (let index = 0; index < COMPILE_AFTER_EMITS; index++) {
      await within.emit(index);
      await above.emit(index);
    }

    expect(within.compiledEmit).toBeTypeOf('function');
    expect(above.compiledEmit).toBeUndefined();
  });

  it('skips compiling an empty signal', async () => {
    const signal = createSyncSignal<number>();
    const before = countCompilations();

    for (let index = 0; index < COMPILE_AFTER_EMITS * 2; index++) await signal.emit(index);

    expect(countCompilations()).toBe(before);
  });

  it('compiles a unique source for each set', async () => {
    const sources = recordSources();
    for (let round = 0; round < 2; round++) {
      const signal = createSyncSignal<number>();
      signal.addListener(() => {});
      for (let index = 0; index < COMPILE_AFTER_EMITS; index++) await signal.emit(index);
    }

    expect(sources).toHaveLength(2);
    expect(sources[0]).not.toBe(sources[1]);
  });
});

describe('SyncSignal compiled emit semantics', () => {
  it('reports a throw at each index and runs the rest', async () => {
    const count = 4;
    for (let failing = 0; failing < count; failing++) {
      const errors: [unknown, ListenerErrorInfo][] = [];
      const { calls, state, listener } = recorder();
      const signal = createSyncSignal<number>({
        name: 'orders',
        onError: (error, info) => errors.push([error, info]),
      });
      const failure = new Error(`listener ${failing} failed`);
      for (let index = 0; index < count; index++) {
        const record = listener(`l${index}`);
        signal.addListener((payload) => {
          record(payload);
          if (index === failing && !state.quiet) throw failure;
        }, `key-${index}`);
      }
      await warmUp(signal, state);

      await expect(signal.emit(1)).resolves.toBeUndefined();

      expect(calls).toEqual(['l0:1', 'l1:1', 'l2:1', 'l3:1']);
      expect(errors).toEqual([
        [failure, { signal: 'orders', key: `key-${failing}`, index: failing }],
      ]);
    }
  });

  it('awaits a thenable at each index in order', async () => {
    const count = 3;
    for (let pending = 0; pending < count; pending++) {
      const { calls, state, listener } = recorder();
      const signal = createSyncSignal<number>();
      const gate = deferred();
      for (let index = 0; index < count; index++) {
        const record = listener(`l${index}`);
        signal.addListener((payload) => {
          record(payload);
          if (index === pending && !state.quiet) return gate.promise;
        });
      }
      await warmUp(signal, state);

      const result = signal.emit(1);
      expect(calls).toEqual(Array.from({ length: pending + 1 }, (_, index) => `l${index}:1`));

      gate.resolve();
      await result;
      expect(calls).toEqual(['l0:1', 'l1:1', 'l2:1']);
    }
  });

  it('reports a rejected thenable with its index', async () => {
    const errors: ListenerErrorInfo[] = [];
    const { calls, state, listener } = recorder();
    const signal = createSyncSignal<number>({ onError: (_, info) => errors.push(info) });
    signal.addListener(listener('a'), 'a');
    signal.addListener(() => (state.quiet ? undefined : Promise.reject(new Error('no'))), 'b');
    signal.addListener(listener('c'), 'c');
    await warmUp(signal, state);

    await signal.emit(1);

    expect(calls).toEqual(['a:1', 'c:1']);
    expect(errors).toEqual([expect.objectContaining({ key: 'b', index: 1 })]);
  });

  it('rejects tryEmit with the first throw, unwrapped', async () => {
    const count = 3;
    for (let failing = 0; failing < count; failing++) {
      const { calls, state, listener } = recorder();
      const signal = createSyncSignal<number>();
      class ValidationError extends Error {}
      const failure = new ValidationError(`step ${failing}`);
      for (let index = 0; index < count; index++) {
        const record = listener(`l${index}`);
        signal.addListener((payload) => {
          record(payload);
          if (index === failing && !state.quiet) throw failure;
        });
      }
      await warmUp(signal, state);

      const result = signal.tryEmit(1);

      await expect(result).rejects.toBe(failure);
      expect(calls).toEqual(Array.from({ length: failing + 1 }, (_, index) => `l${index}:1`));
    }
  });

  it('rejects tryEmit when a thenable rejects', async () => {
    const { calls, state, listener } = recorder();
    const signal = createSyncSignal<number>();
    const failure = new Error('rejected');
    signal.addListener(listener('a'));
    signal.addListener(() => (state.quiet ? undefined : Promise.reject(failure)));
    signal.addListener(listener('c'));
    await warmUp(signal, state);

    await expect(signal.tryEmit(1)).rejects.toBe(failure);
    expect(calls).toEqual(['a:1']);
  });

  it('runs its snapshot when a listener removes another', async () => {
    const { calls, state, listener } = recorder();
    const signal = createSyncSignal<number>();
    signal.addListener((payload) => {
      listener('a')(payload);
      if (!state.quiet) signal.removeListener('c');
    }, 'a');
    signal.addListener(listener('b'), 'b');
    signal.addListener(listener('c'), 'c');
    await warmUp(signal, state);

    await signal.emit(1);
    await signal.emit(2);

    expect(calls).toEqual(['a:1', 'b:1', 'c:1', 'a:2', 'b:2']);
  });

  it('runs its snapshot when a listener adds another', async () => {
    const { calls, state, listener } = recorder();
    const signal = createSyncSignal<number>();
    signal.addListener((payload) => {
      listener('a')(payload);
      if (!state.quiet) signal.addListener(listener('added'), 'added');
    });
    signal.addListener(listener('b'));
    await warmUp(signal, state);

    await signal.emit(1);
    await signal.emit(2);

    expect(calls).toEqual(['a:1', 'b:1', 'a:2', 'b:2', 'added:2']);
  });

  it('supports a reentrant emit from a listener', async () => {
    const { calls, state, listener } = recorder();
    const signal = createSyncSignal<number>();
    signal.addListener((payload) => {
      listener('a')(payload);
      if (!state.quiet && payload === 1) void signal.emit(2);
    });
    signal.addListener(listener('b'));
    await warmUp(signal, state);

    await signal.emit(1);

    expect(calls).toEqual(['a:1', 'a:2', 'b:2', 'b:1']);
  });

  it('stops emit before the next listener on abort', async () => {
    const { calls, state, listener } = recorder();
    const signal = createSyncSignal<number>();
    let controller = new AbortController();
    signal.addListener(listener('a'));
    signal.addListener((payload) => {
      listener('b')(payload);
      if (!state.quiet) controller.abort();
    });
    signal.addListener(listener('c'));
    await warmUp(signal, state);

    await expect(signal.emit(1, { signal: controller.signal })).resolves.toBeUndefined();
    expect(calls).toEqual(['a:1', 'b:1']);

    controller = new AbortController();
    controller.abort();
    await signal.emit(2, { signal: controller.signal });
    expect(calls).toEqual(['a:1', 'b:1']);
  });

  it('rejects tryEmit with the abort reason', async () => {
    const { calls, state, listener } = recorder();
    const signal = createSyncSignal<number>();
    const controller = new AbortController();
    const reason = new Error('cancelled');
    signal.addListener((payload) => {
      listener('a')(payload);
      if (!state.quiet) controller.abort(reason);
    });
    signal.addListener(listener('b'));
    await warmUp(signal, state);

    await expect(signal.tryEmit(1, { signal: controller.signal })).rejects.toBe(reason);
    expect(calls).toEqual(['a:1']);
  });

  it('stops at once on abort while a listener is pending', async () => {
    const { calls, state, listener } = recorder();
    const signal = createSyncSignal<number>();
    const controller = new AbortController();
    const gate = deferred();
    signal.addListener(() => (state.quiet ? undefined : gate.promise));
    signal.addListener(listener('b'));
    await warmUp(signal, state);

    const result = signal.tryEmit(1, { signal: controller.signal });
    controller.abort();

    await expect(result).rejects.toBe(controller.signal.reason);
    gate.resolve();
    await flushMicrotasks();
    expect(calls).toEqual([]);
  });

  it('passes the payload and ctx to each listener', async () => {
    const seen: unknown[] = [];
    const state = { quiet: false };
    const signal = createSyncSignal<number>();
    signal.addListener((payload, ctx) => {
      if (!state.quiet) seen.push(payload, ctx);
    });
    await warmUp(signal, state);
    const ctx = { signal: new AbortController().signal, traceId: 't-1' };

    await signal.emit(7, ctx);
    await signal.emit(8);

    expect(seen[0]).toBe(7);
    expect(seen[1]).toBe(ctx);
    expect(seen[2]).toBe(8);
    expect(seen[3]).toEqual({});
    expect(Object.isFrozen(seen[3])).toBe(true);
  });
});

describe.skipIf(tracing)('SyncSignal compiled emit fallback', () => {
  it('stays on the loop after an EvalError', async () => {
    const compile = vi.fn<FunctionCompiler>(() => {
      throw new EvalError('Code generation from strings disallowed for this context');
    });
    setFunctionCompilerForTesting(compile);
    const before = countCompilations();
    const errors: unknown[] = [];

    for (let round = 0; round < 3; round++) {
      const { calls, state, listener } = recorder();
      const signal = createSyncSignal<number>({ onError: (error) => errors.push(error) });
      signal.addListener(listener('a'));
      signal.addListener(() => {
        if (!state.quiet) throw new Error('b failed');
      });
      signal.addListener(listener('c'));
      state.quiet = true;
      for (let index = 0; index < COMPILE_AFTER_EMITS * 2; index++) await signal.emit(index);
      state.quiet = false;

      await signal.emit(1);
      await expect(signal.tryEmit(2)).rejects.toThrow('b failed');

      expect(signal.compiledEmit).toBeUndefined();
      expect(calls).toEqual(['a:1', 'c:1', 'a:2']);
    }

    expect(compile).toHaveBeenCalledTimes(1);
    expect(isEvalBlocked()).toBe(true);
    expect(countCompilations()).toBe(before);
    expect(errors).toHaveLength(3);
  });

  it('retries after another error once the set changes', async () => {
    let failNext = true;
    const compile = vi.fn<FunctionCompiler>((params, body) => {
      if (failNext) {
        failNext = false;
        throw new RangeError('Maximum call stack size exceeded');
      }
      return new Function(...params, body);
    });
    setFunctionCompilerForTesting(compile);
    const signal = createSyncSignal<number>();
    signal.addListener(() => {}, 'a');

    for (let index = 0; index < COMPILE_AFTER_EMITS * 2; index++) await signal.emit(index);
    expect(signal.compiledEmit).toBeUndefined();
    expect(compile).toHaveBeenCalledTimes(1);
    expect(isEvalBlocked()).toBe(false);

    signal.addListener(() => {}, 'b');
    for (let index = 0; index < COMPILE_AFTER_EMITS; index++) await signal.emit(index);
    expect(signal.compiledEmit).toBeTypeOf('function');
    expect(compile).toHaveBeenCalledTimes(2);
  });
});

describe.skipIf(tracing)('experimental_setCompiledEmit', () => {
  it('stops compiled emits when turned off', async () => {
    const frames: string[][] = [];
    const state = { quiet: false };
    const signal = createSyncSignal<number>();
    signal.addListener(() => {
      if (!state.quiet) frames.push(generatedFramesOnStack());
    });
    await warmUp(signal, state);

    experimental_setCompiledEmit(false);
    await signal.emit(1);
    await signal.tryEmit(2);
    await signal.emit(3, {});
    expect(frames).toEqual([[], [], []]);

    experimental_setCompiledEmit(true);
    await warmUp(signal, state);
    await signal.emit(4);
    expect(frames[3]).toEqual(['compiledEmit', 'publicEmit']);
  });

  it('uninstalls compiled methods when turned off', async () => {
    const { state, listener } = recorder();
    const signal = createSyncSignal<number>();
    signal.addListener(listener('a'));
    await warmUp(signal, state);

    experimental_setCompiledEmit(false);

    expect(signal.emit).toBe(SyncSignal.prototype.emit);
    expect(signal.tryEmit).toBe(SyncSignal.prototype.tryEmit);
    expect(signal.compiledEmit).toBeUndefined();
    expect(signal.compiledTryEmit).toBeUndefined();
    expect(signal.stableEmits).toBe(0);
  });

  it('sends a stale reference to the loop when off', async () => {
    const frames: string[][] = [];
    const state = { quiet: false };
    const signal = createSyncSignal<number>();
    signal.addListener(() => {
      if (!state.quiet) frames.push(generatedFramesOnStack());
    });
    await warmUp(signal, state);
    const staleEmit = signal.emit;
    const staleTryEmit = signal.tryEmit;

    experimental_setCompiledEmit(false);
    await staleEmit.call(signal, 1);
    await staleTryEmit.call(signal, 2);

    // The stale public methods remain on the stack, but no compiled chain runs.
    expect(frames).toEqual([['publicEmit'], ['publicTryEmit']]);
  });

  it('compiles nothing while off', async () => {
    experimental_setCompiledEmit(false);
    const before = countCompilations();
    const signal = createSyncSignal<number>();
    signal.addListener(() => {});

    for (let index = 0; index < COMPILE_AFTER_EMITS * 2; index++) await signal.emit(index);

    expect(signal.compiledEmit).toBeUndefined();
    expect(countCompilations()).toBe(before);
  });

  it('counts towards compiling again once on', async () => {
    experimental_setCompiledEmit(false);
    const signal = createSyncSignal<number>();
    signal.addListener(() => {});
    for (let index = 0; index < COMPILE_AFTER_EMITS * 2; index++) await signal.emit(index);

    experimental_setCompiledEmit(true);
    for (let index = 0; index < COMPILE_AFTER_EMITS; index++) await signal.emit(index);

    expect(signal.compiledEmit).toBeTypeOf('function');
  });

  it('rejects a value that is not a boolean', () => {
    expect(() => experimental_setCompiledEmit('no' as unknown as boolean)).toThrow(
      'experimental_setCompiledEmit: "enabled" must be true or false, received string "no"',
    );
  });
});

describe('SyncSignal compiled emit source', () => {
  // Quotes, a backtick template with a placeholder, a backslash, a newline and comment tokens.
  const hostile = `o'k"\`$\{globalThis.injected = 1}\`\\\n*/ //`;

  it('contains no name or key', async () => {
    const sources = recordSources();
    const { calls, state, listener } = recorder();
    const signal = createSyncSignal<number>({ name: hostile });
    signal.addListener(listener('a'), hostile);
    signal.addListener(listener('b'), `${hostile}2`);
    await warmUp(signal, state);

    await signal.emit(1);

    expect(calls).toEqual(['a:1', 'b:1']);
    expect((globalThis as { injected?: number }).injected).toBeUndefined();
    if (tracing) return;
    expect(sources).toHaveLength(1);
    const source = sources[0]!;
    expect(source).not.toContain('globalThis');
    expect(source.replace("'use strict';", '')).not.toMatch(/['"`\\]/);
  });

  it('reports a hostile key through onError', async () => {
    const errors: ListenerErrorInfo[] = [];
    const state = { quiet: false };
    const signal = createSyncSignal<number>({
      name: hostile,
      onError: (_, info) => errors.push(info),
    });
    signal.addListener(() => {
      if (!state.quiet) throw new Error('failed');
    }, hostile);
    await warmUp(signal, state);

    await signal.emit(1);

    expect(errors).toEqual([{ signal: hostile, key: hostile, index: 0 }]);
  });
});

describe.skipIf(tracing)('SyncSignal compiled emit and tracing', () => {
  /** A compiled signal with listeners `a` and `b`, where `b` throws unless quiet. */
  async function compiledSignal() {
    const { calls, state, listener } = recorder();
    const errors: unknown[] = [];
    const signal = createSyncSignal<number>({
      name: 'compiled',
      onError: (error) => errors.push(error),
    });
    signal.addListener(listener('a'), 'a');
    signal.addListener((payload) => {
      listener('b')(payload);
      if (!state.quiet) throw new Error('b failed');
    }, 'b');
    await warmUp(signal, state);
    return { signal, calls, errors, state };
  }

  it('uninstalls compiled methods on subscribe', async () => {
    const { signal } = await compiledSignal();
    expect(Object.hasOwn(signal, 'emit')).toBe(true);

    recordTrace();

    expect(signal.emit).toBe(SyncSignal.prototype.emit);
    expect(signal.tryEmit).toBe(SyncSignal.prototype.tryEmit);
    expect(signal.compiledEmit).toBeUndefined();
    expect(signal.compiledTryEmit).toBeUndefined();
    expect(signal.stableEmits).toBe(0);
  });

  it('traces the next emit after subscribe', async () => {
    const { signal, calls, errors } = await compiledSignal();
    const trace = recordTrace();

    await signal.emit(1);

    expect(calls).toEqual(['a:1', 'b:1']);
    expect(errors).toHaveLength(1);
    const started = trace.ofType('emit.started');
    expect(started).toHaveLength(1);
    expect(started[0]!.signalId).toBe(signal.signalId);
    expect(trace.ofType('listener.started')).toHaveLength(2);
    expect(trace.ofType('listener.failed')).toHaveLength(1);
    expect(trace.ofType('emit.finished')).toHaveLength(1);
  });

  it('traces the next tryEmit after subscribe', async () => {
    const { signal, calls } = await compiledSignal();
    const trace = recordTrace();

    await expect(signal.tryEmit(1)).rejects.toThrow('b failed');

    expect(calls).toEqual(['a:1', 'b:1']);
    expect(trace.ofType('emit.started')).toHaveLength(1);
    expect(trace.ofType('listener.failed')).toHaveLength(1);
  });

  it('traces a stale reference after subscribe', async () => {
    const { signal, calls } = await compiledSignal();
    const staleEmit = signal.emit;
    const staleTryEmit = signal.tryEmit;
    const trace = recordTrace();

    await staleEmit.call(signal, 1);
    await expect(staleTryEmit.call(signal, 2)).rejects.toThrow('b failed');

    expect(calls).toEqual(['a:1', 'b:1', 'a:2', 'b:2']);
    const started = trace.ofType('emit.started');
    expect(started.map((event) => event.signalId)).toEqual([signal.signalId, signal.signalId]);
    expect(trace.ofType('listener.failed')).toHaveLength(2);
  });

  it('compiles nothing while subscribed', async () => {
    const trace = recordTrace();
    const before = countCompilations();
    const { state, listener } = recorder();
    const signal = createSyncSignal<number>();
    signal.addListener(listener('a'));

    state.quiet = true;
    for (let index = 0; index < COMPILE_AFTER_EMITS * 2; index++) await signal.emit(index);

    expect(signal.compiledEmit).toBeUndefined();
    expect(Object.hasOwn(signal, 'emit')).toBe(false);
    expect(countCompilations()).toBe(before);
    expect(trace.ofType('emit.started')).toHaveLength(COMPILE_AFTER_EMITS * 2);
  });

  it('compiles again after the threshold once unsubscribed', async () => {
    const { signal, state } = await compiledSignal();
    const trace = recordTrace();
    await signal.emit(1);
    trace.stop();

    state.quiet = true;
    for (let index = 0; index < COMPILE_AFTER_EMITS - 1; index++) await signal.emit(index);
    expect(signal.compiledEmit).toBeUndefined();

    await signal.emit(0);
    expect(signal.compiledEmit).toBeTypeOf('function');
    expect(signal.emit).not.toBe(SyncSignal.prototype.emit);
    expect(trace.ofType('emit.started')).toHaveLength(1);
  });

  it('drops a subclass compiled emit on subscribe', async () => {
    class AuditedSignal extends SyncSignal<number> {
      override emit(payload: number, ctx?: Context): Promise<void> {
        return super.emit(payload, ctx);
      }
    }
    const { state, listener } = recorder();
    const signal = new AuditedSignal();
    signal.addListener(listener('a'));
    await warmUp(signal, state);
    const trace = recordTrace();

    await signal.emit(1);

    expect(signal.compiledEmit).toBeUndefined();
    expect(trace.ofType('emit.started')).toHaveLength(1);
  });
});
