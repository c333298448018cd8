import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSyncSignal } from '../../src/index.js';
import { deferred, flushMicrotasks } from '../support/deferred.js';

class ValidationError extends Error {
  constructor(readonly field: string) {
    super(`invalid ${field}`);
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('SyncSignal.tryEmit', () => {
  it('resolves when every listener succeeds', async () => {
    const signal = createSyncSignal<number>();
    const calls: number[] = [];
    signal.addListener((n) => {
      calls.push(n);
    });
    signal.addListener(async (n) => {
      calls.push(n * 10);
    });

    await expect(signal.tryEmit(2)).resolves.toBeUndefined();
    expect(calls).toEqual([2, 20]);
  });

  it('runs synchronous listeners before returning', () => {
    const signal = createSyncSignal<void>();
    const listener = vi.fn();
    signal.addListener(listener);
    signal.addListener(listener);

    void signal.tryEmit();

    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('rejects with the thrown error itself', async () => {
    const signal = createSyncSignal<void>();
    const failure = new ValidationError('email');
    const skipped = vi.fn();
    signal.addListener(() => {
      throw failure;
    });
    signal.addListener(skipped);

    const error = await signal.tryEmit().catch((caught: unknown) => caught);

    expect(error).toBe(failure);
    expect(error).toBeInstanceOf(ValidationError);
    expect(skipped).not.toHaveBeenCalled();
  });

  it('returns a rejected promise instead of throwing', () => {
    const signal = createSyncSignal<void>();
    signal.addListener(() => {
      throw new Error('sync failure');
    });

    const result = signal.tryEmit();

    expect(result).toBeInstanceOf(Promise);
    return expect(result).rejects.toThrow('sync failure');
  });

  it('rejects with a rejected promise reason', async () => {
    const signal = createSyncSignal<void>();
    const failure = new ValidationError('amount');
    const skipped = vi.fn();
    signal.addListener(async () => {
      throw failure;
    });
    signal.addListener(skipped);

    await expect(signal.tryEmit()).rejects.toBe(failure);
    expect(skipped).not.toHaveBeenCalled();
  });

  it('does not send its failures to onError', async () => {
    const onError = vi.fn();
    const signal = createSyncSignal<void>({ onError });
    signal.addListener(() => {
      throw new Error('awaited by the caller');
    });

    await expect(signal.tryEmit()).rejects.toThrow('awaited by the caller');
    expect(onError).not.toHaveBeenCalled();
  });

  it('rejects with the reason when aborted before', async () => {
    const signal = createSyncSignal<void>();
    const listener = vi.fn();
    signal.addListener(listener);
    const controller = new AbortController();
    controller.abort();

    const error = await signal.tryEmit(undefined, { signal: controller.signal }).catch((e) => e);

    expect(error).toBe(controller.signal.reason);
    expect((error as DOMException).name).toBe('AbortError');
    expect(listener).not.toHaveBeenCalled();
  });

  it('rejects when aborted even without listeners', async () => {
    const signal = createSyncSignal<void>();
    const aborted = AbortSignal.abort(new Error('cancelled'));

    await expect(signal.tryEmit(undefined, { signal: aborted })).rejects.toThrow('cancelled');
  });

  it('rejects with the reason when aborted between listeners', async () => {
    const signal = createSyncSignal<void>();
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const skipped = vi.fn();
    signal.addListener(() => {
      controller.abort(reason);
    });
    signal.addListener(skipped);

    await expect(signal.tryEmit(undefined, { signal: controller.signal })).rejects.toBe(reason);
    expect(skipped).not.toHaveBeenCalled();
  });

  it('rejects at once when aborted during a pending listener', async () => {
    const signal = createSyncSignal<void>();
    const controller = new AbortController();
    const pending = deferred();
    const skipped = vi.fn();
    signal.addListener(() => pending.promise);
    signal.addListener(skipped);

    const result = signal.tryEmit(undefined, { signal: controller.signal });
    controller.abort();

    await expect(result).rejects.toBe(controller.signal.reason);

    // The abandoned listener finishing later must not start the skipped ones.
    pending.resolve();
    await flushMicrotasks();
    expect(skipped).not.toHaveBeenCalled();
  });

  it('honours a deadline driven by fake timers', async () => {
    vi.useFakeTimers();
    const signal = createSyncSignal<void>();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DOMException('deadline', 'TimeoutError')), 1_000);
    // A listener that ignores the signal and would never finish on its own.
    signal.addListener(() => new Promise<void>(() => {}));

    const result = signal.tryEmit(undefined, { signal: controller.signal });
    const assertion = expect(result).rejects.toMatchObject({ name: 'TimeoutError' });
    await vi.advanceTimersByTimeAsync(1_000);

    await assertion;
  });

  it('rejects with TimeoutError from AbortSignal.timeout', async () => {
    // AbortSignal.timeout runs on Node's internal timers, which fake timers cannot advance.
    const signal = createSyncSignal<void>();
    signal.addListener(() => new Promise<void>(() => {}));

    const error = await signal
      .tryEmit(undefined, { signal: AbortSignal.timeout(5) })
      .catch((e) => e);

    expect((error as DOMException).name).toBe('TimeoutError');
  });

  it('removes its abort listeners from a long-lived signal', async () => {
    const signal = createSyncSignal<number>();
    signal.addListener(async () => {});
    const controller = new AbortController();

    for (let i = 0; i < 50; i++) await signal.tryEmit(i, { signal: controller.signal });
    const failing = createSyncSignal<void>();
    failing.addListener(async () => {
      throw new Error('fails');
    });
    await failing.tryEmit(undefined, { signal: controller.signal }).catch(() => {});

    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it.each([
    ['emit', 'success'],
    ['emit', 'rejection'],
    ['emit', 'throw after await'],
    ['tryEmit', 'success'],
    ['tryEmit', 'rejection'],
    ['tryEmit', 'throw after await'],
  ] as const)('%s leaves no abort listener after %s', async (method, path) => {
    const signal = createSyncSignal<void>({ onError: () => {} });
    signal.addListener(async () => {
      if (path === 'rejection') throw new Error('rejects');
    });
    signal.addListener(() => {
      if (path === 'throw after await') throw new Error('throws');
    });
    const controller = new AbortController();

    const result = signal[method](undefined, { signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    await result.catch(() => {});

    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('removes its abort listener after an abort', async () => {
    const signal = createSyncSignal<void>();
    const controller = new AbortController();
    signal.addListener(() => new Promise<void>(() => {}));

    const result = signal.tryEmit(undefined, { signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    await result.catch(() => {});

    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('reports a listener that fails after an abort abandoned it', async () => {
    const onError = vi.fn();
    const signal = createSyncSignal<void>({ onError });
    const controller = new AbortController();
    const pending = deferred();
    signal.addListener(() => pending.promise, 'slow');

    const result = signal.tryEmit(undefined, { signal: controller.signal });
    controller.abort();
    await result.catch(() => {});
    const failure = new Error('late failure');
    pending.reject(failure);
    await flushMicrotasks();

    expect(onError).toHaveBeenCalledWith(failure, { signal: signal.name, key: 'slow', index: 0 });
  });

  it('rejects when a pending listener aborted the signal itself', async () => {
    const signal = createSyncSignal<void>();
    const controller = new AbortController();
    const skipped = vi.fn();
    signal.addListener(() => {
      controller.abort();
      return new Promise<void>(() => {});
    });
    signal.addListener(skipped);

    await expect(signal.tryEmit(undefined, { signal: controller.signal })).rejects.toBe(
      controller.signal.reason,
    );
    expect(skipped).not.toHaveBeenCalled();
  });

  it("rejects with a throwing then getter's error", async () => {
    const signal = createSyncSignal<void>();
    const getterError = new Error('then getter failed');
    const second = vi.fn();
    signal.addListener(
      () =>
        Object.defineProperty({}, 'then', {
          get() {
            throw getterError;
          },
        }) as Promise<void>,
    );
    signal.addListener(second);

    let done: Promise<void> | undefined;
    expect(() => {
      done = signal.tryEmit();
    }).not.toThrow();

    await expect(done).rejects.toBe(getterError);
    expect(second).not.toHaveBeenCalled();
  });
});
