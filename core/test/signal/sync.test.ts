import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSyncSignal, type ListenerErrorInfo } from '../../src/index.js';
import { deferred, flushMicrotasks } from '../support/deferred.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A listener result whose `then` getter throws, as a broken proxy or a hostile object may. */
function throwingThenable(error: Error): Promise<void> {
  return Object.defineProperty({}, 'then', {
    get() {
      throw error;
    },
  }) as Promise<void>;
}

describe('SyncSignal.emit', () => {
  it('runs listeners in registration order', async () => {
    const signal = createSyncSignal<string>();
    const calls: string[] = [];
    signal.addListener((payload) => {
      calls.push(`first ${payload}`);
    });
    signal.addListener((payload) => {
      calls.push(`second ${payload}`);
    });
    signal.addListener((payload) => {
      calls.push(`third ${payload}`);
    });

    await signal.emit('x');

    expect(calls).toEqual(['first x', 'second x', 'third x']);
  });

  it('runs synchronous listeners before returning', () => {
    const signal = createSyncSignal<number>();
    const calls: number[] = [];
    signal.addListener((n) => {
      calls.push(n);
    });
    signal.addListener((n) => {
      calls.push(n + 1);
    });

    const result = signal.emit(1);

    expect(calls).toEqual([1, 2]);
    expect(result).toBeInstanceOf(Promise);
  });

  it('awaits each returned promise before the next listener', async () => {
    const signal = createSyncSignal<void>();
    const gate = deferred();
    const calls: string[] = [];
    signal.addListener(async () => {
      calls.push('first started');
      await gate.promise;
      calls.push('first finished');
    });
    signal.addListener(() => {
      calls.push('second');
    });

    const done = signal.emit();
    await flushMicrotasks();
    expect(calls).toEqual(['first started']);

    gate.resolve();
    await done;
    expect(calls).toEqual(['first started', 'first finished', 'second']);
  });

  it('passes the caller ctx object to listeners', async () => {
    const signal = createSyncSignal<number>();
    const ctx = { traceId: 'abc' };
    const received: unknown[] = [];
    signal.addListener((_, listenerCtx) => {
      received.push(listenerCtx);
    });

    await signal.emit(1, ctx);

    expect(received[0]).toBe(ctx);
  });

  it('passes one shared frozen empty ctx by default', async () => {
    const signal = createSyncSignal<number>();
    const received: object[] = [];
    signal.addListener((_, ctx) => {
      received.push(ctx);
    });

    await signal.emit(1);
    await signal.emit(2);

    expect(received[0]).toEqual({});
    expect(Object.isFrozen(received[0])).toBe(true);
    expect(received[1]).toBe(received[0]);
  });

  it('reports a throwing listener and runs the rest', async () => {
    const errors: [unknown, ListenerErrorInfo][] = [];
    const signal = createSyncSignal<number>({
      name: 'orders',
      onError: (error, info) => errors.push([error, info]),
    });
    const failure = new Error('boom');
    const calls: string[] = [];
    signal.addListener(() => {
      calls.push('first');
    });
    signal.addListener(() => {
      throw failure;
    }, 'thrower');
    signal.addListener(() => {
      calls.push('third');
    });

    await expect(signal.emit(1)).resolves.toBeUndefined();

    expect(calls).toEqual(['first', 'third']);
    expect(errors).toEqual([[failure, { signal: 'orders', key: 'thrower', index: 1 }]]);
  });

  it('reports a rejecting listener and runs the rest', async () => {
    const onError = vi.fn();
    const signal = createSyncSignal<number>({ onError });
    const failure = new Error('rejected');
    const calls: string[] = [];
    signal.addListener(async () => {
      throw failure;
    });
    signal.addListener(() => {
      calls.push('second');
    });

    await expect(signal.emit(1)).resolves.toBeUndefined();

    expect(calls).toEqual(['second']);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(failure, {
      signal: signal.name,
      key: undefined,
      index: 0,
    });
  });

  it('stops before the next listener once aborted', async () => {
    const signal = createSyncSignal<void>();
    const controller = new AbortController();
    const calls: string[] = [];
    signal.addListener(() => {
      calls.push('first');
      controller.abort();
    });
    signal.addListener(() => {
      calls.push('second');
    });

    await expect(signal.emit(undefined, { signal: controller.signal })).resolves.toBeUndefined();

    expect(calls).toEqual(['first']);
  });

  it('runs no listener when already aborted', async () => {
    const signal = createSyncSignal<void>();
    const listener = vi.fn();
    signal.addListener(listener);

    await expect(signal.emit(undefined, { signal: AbortSignal.abort() })).resolves.toBeUndefined();

    expect(listener).not.toHaveBeenCalled();
  });

  it('resolves at once on abort while a listener is pending', async () => {
    const onError = vi.fn();
    const signal = createSyncSignal<void>({ onError });
    const controller = new AbortController();
    const never = deferred();
    const later = vi.fn();
    signal.addListener(() => never.promise);
    signal.addListener(later);

    const done = signal.emit(undefined, { signal: controller.signal });
    controller.abort();

    await expect(done).resolves.toBeUndefined();
    expect(later).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
  });

  it('reports a listener that fails after an abort abandoned it', async () => {
    const onError = vi.fn();
    const signal = createSyncSignal<void>({ onError });
    const controller = new AbortController();
    const pending = deferred();
    signal.addListener(() => pending.promise, 'slow');

    const done = signal.emit(undefined, { signal: controller.signal });
    controller.abort();
    await done;
    const failure = new Error('late');
    pending.reject(failure);
    await flushMicrotasks();

    expect(onError).toHaveBeenCalledWith(failure, { signal: signal.name, key: 'slow', index: 0 });
  });

  it('never rejects when onError throws', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const signal = createSyncSignal<void>({
      onError: () => {
        throw new Error('handler failed');
      },
    });
    const after = vi.fn();
    signal.addListener(() => {
      throw new Error('listener failed');
    });
    signal.addListener(after);

    await expect(signal.emit()).resolves.toBeUndefined();
    expect(after).toHaveBeenCalledTimes(1);
  });

  it('reports through console.error by default in Node', async () => {
    // Node 20 has no globalThis.reportError, so the default falls back to console.error.
    expect((globalThis as { reportError?: unknown }).reportError).toBeUndefined();
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const signal = createSyncSignal<void>({ name: 'audit' });
    const failure = new Error('boom');
    signal.addListener(() => {
      throw failure;
    }, 'writer');

    await signal.emit();

    expect(consoleError).toHaveBeenCalledTimes(1);
    expect(consoleError.mock.calls[0]?.[0]).toContain('"audit"');
    expect(consoleError.mock.calls[0]?.[0]).toContain('key "writer"');
    expect(consoleError.mock.calls[0]?.[1]).toBe(failure);
  });

  it('keeps order after a removal, unlike Go swap-remove', async () => {
    const signal = createSyncSignal<void>();
    const calls: string[] = [];
    for (const key of ['a', 'b', 'c', 'd']) {
      signal.addListener(() => {
        calls.push(key);
      }, key);
    }

    signal.removeListener('b');
    await signal.emit();

    // Go's RemoveListener moves the last listener into the hole and would run a, d, c.
    expect(calls).toEqual(['a', 'c', 'd']);
  });

  it('ignores listeners added during the emit', async () => {
    const signal = createSyncSignal<void>();
    const added = vi.fn();
    const calls: string[] = [];
    signal.addListener(() => {
      calls.push('first');
      signal.addListener(added);
    });
    signal.addListener(() => {
      calls.push('second');
    });

    await signal.emit();
    expect(calls).toEqual(['first', 'second']);
    expect(added).not.toHaveBeenCalled();

    await signal.emit();
    expect(added).toHaveBeenCalledTimes(1);
  });

  it('still runs listeners removed during the emit', async () => {
    const signal = createSyncSignal<void>();
    const calls: string[] = [];
    signal.addListener(() => {
      calls.push('first');
      signal.removeListener('second');
    }, 'first');
    signal.addListener(() => {
      calls.push('second');
    }, 'second');

    await signal.emit();
    expect(calls).toEqual(['first', 'second']);

    await signal.emit();
    expect(calls).toEqual(['first', 'second', 'first']);
  });

  it('finishes its snapshot when reset mid-emit', async () => {
    const signal = createSyncSignal<void>();
    const gate = deferred();
    const second = vi.fn();
    signal.addListener(() => gate.promise);
    signal.addListener(second);

    const done = signal.emit();
    signal.reset();
    gate.resolve();
    await done;

    expect(second).toHaveBeenCalledTimes(1);
    expect(signal.len()).toBe(0);
  });

  it('supports a nested emit on the same signal', async () => {
    const signal = createSyncSignal<number>();
    const calls: number[] = [];
    signal.addListener((depth) => {
      calls.push(depth);
      if (depth < 2) void signal.emit(depth + 1);
    });

    await signal.emit(0);

    expect(calls).toEqual([0, 1, 2]);
  });

  it('awaits a thenable that is no promise', async () => {
    const signal = createSyncSignal<void>();
    const calls: string[] = [];
    let finish: (() => void) | undefined;
    signal.addListener(
      () =>
        ({
          // biome-ignore lint/suspicious/noThenProperty: the test needs a thenable that is no promise.
          then(resolve: () => void) {
            finish = () => {
              calls.push('thenable');
              resolve();
            };
          },
        }) as unknown as Promise<void>,
    );
    signal.addListener(() => {
      calls.push('second');
    });

    const done = signal.emit();
    await flushMicrotasks();
    expect(calls).toEqual([]);
    finish?.();
    await done;

    expect(calls).toEqual(['thenable', 'second']);
  });

  it('reports a throwing then getter and goes on', async () => {
    const failures: unknown[] = [];
    const signal = createSyncSignal<void>({ onError: (error) => failures.push(error) });
    const getterError = new Error('then getter failed');
    const second = vi.fn();
    signal.addListener(() => throwingThenable(getterError));
    signal.addListener(second);

    let done: Promise<void> | undefined;
    expect(() => {
      done = signal.emit();
    }).not.toThrow();
    await done;

    expect(failures).toEqual([getterError]);
    expect(second).toHaveBeenCalledTimes(1);
  });
});
