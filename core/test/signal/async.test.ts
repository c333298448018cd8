import { describe, expect, it, vi } from 'vitest';
import { AsyncSignal, createSignal } from '../../src/index.js';
import { deferred, flushMicrotasks } from '../support/deferred.js';

describe('createSignal', () => {
  it('returns an AsyncSignal', () => {
    expect(createSignal()).toBeInstanceOf(AsyncSignal);
  });

  it('names the signal from options or its id', () => {
    expect(createSignal({ name: 'orders' }).name).toBe('orders');
    expect(createSignal().name).toMatch(/^signal#\d+$/);
  });
});

describe('AsyncSignal.emit', () => {
  it('returns before any listener runs', async () => {
    const signal = createSignal<number>();
    const listener = vi.fn();
    signal.addListener(listener);

    const done = signal.emit(1);
    expect(listener).not.toHaveBeenCalled();

    await done;
    expect(listener).toHaveBeenCalledWith(1, {});
  });

  it('starts all listeners before any finishes', async () => {
    const signal = createSignal<void>();
    const gates = [deferred(), deferred()];
    const calls: string[] = [];
    gates.forEach((gate, index) => {
      signal.addListener(async () => {
        calls.push(`started ${index}`);
        await gate.promise;
        calls.push(`finished ${index}`);
      });
    });

    const done = signal.emit();
    await flushMicrotasks();
    expect(calls).toEqual(['started 0', 'started 1']);

    gates[1]!.resolve();
    await flushMicrotasks();
    expect(calls).toEqual(['started 0', 'started 1', 'finished 1']);

    gates[0]!.resolve();
    await done;
    expect(calls).toEqual(['started 0', 'started 1', 'finished 1', 'finished 0']);
  });

  it('resolves only after every listener settles', async () => {
    const signal = createSignal<void>({ onError: () => {} });
    const slow = deferred();
    signal.addListener(() => slow.promise);
    signal.addListener(async () => {
      throw new Error('fast failure');
    });
    let settled = false;

    const done = signal.emit().then(() => {
      settled = true;
    });
    await flushMicrotasks();
    expect(settled).toBe(false);

    slow.resolve();
    await done;
    expect(settled).toBe(true);
  });

  it('reports throws and rejections without rejecting', async () => {
    const onError = vi.fn();
    const signal = createSignal<void>({ name: 'notify', onError });
    const thrown = new Error('thrown');
    const rejected = new Error('rejected');
    const healthy = vi.fn();
    signal.addListener(() => {
      throw thrown;
    }, 'sync-thrower');
    signal.addListener(async () => {
      throw rejected;
    });
    signal.addListener(healthy);

    await expect(signal.emit()).resolves.toBeUndefined();

    expect(healthy).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledTimes(2);
    expect(onError).toHaveBeenCalledWith(thrown, {
      signal: 'notify',
      key: 'sync-thrower',
      index: 0,
    });
    expect(onError).toHaveBeenCalledWith(rejected, { signal: 'notify', key: undefined, index: 1 });
  });

  it('is safe to fire and forget', async () => {
    const onError = vi.fn();
    const signal = createSignal<void>({ onError });
    signal.addListener(() => Promise.reject(new Error('nobody awaits this')));

    void signal.emit();
    await flushMicrotasks();

    // An unhandled rejection would fail this test run; the error went to onError instead.
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('causes no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const signal = createSignal<void>({
      onError: () => {
        throw new Error('onError fails too');
      },
    });
    signal.addListener(() => Promise.reject(new Error('rejects')));
    signal.addListener(() => {
      throw new Error('throws');
    });
    vi.spyOn(console, 'error').mockImplementation(() => {});

    try {
      void signal.emit();
      // Node reports unhandled rejections after the microtask queue drains, before the next task.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', onUnhandled);
      vi.restoreAllMocks();
    }

    expect(unhandled).toEqual([]);
  });

  it('passes the caller ctx or a shared frozen default', async () => {
    const signal = createSignal<number>();
    const received: object[] = [];
    signal.addListener((_, ctx) => {
      received.push(ctx);
    });
    const ctx = { requestId: 7 };

    await signal.emit(1, ctx);
    await signal.emit(2);
    await signal.emit(3);

    expect(received[0]).toBe(ctx);
    expect(Object.isFrozen(received[1])).toBe(true);
    expect(received[2]).toBe(received[1]);
  });

  it('passes an aborted ctx.signal through to listeners', async () => {
    const signal = createSignal<void>();
    const listener = vi.fn();
    signal.addListener(listener);
    const aborted = AbortSignal.abort();

    await signal.emit(undefined, { signal: aborted });

    // The async emit leaves cancellation to its listeners, as Go's goroutines do.
    expect(listener).toHaveBeenCalledWith(undefined, { signal: aborted });
  });

  it('ignores listeners added after the emit call', async () => {
    const signal = createSignal<void>();
    const before = vi.fn();
    const after = vi.fn();
    signal.addListener(before);

    const done = signal.emit();
    signal.addListener(after);
    await done;

    expect(before).toHaveBeenCalledTimes(1);
    expect(after).not.toHaveBeenCalled();
  });

  it('still runs listeners removed after the emit call', async () => {
    const signal = createSignal<void>();
    const listener = vi.fn();
    signal.addListener(listener, 'removed');

    const done = signal.emit();
    signal.removeListener('removed');
    await done;

    expect(listener).toHaveBeenCalledTimes(1);
    await signal.emit();
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('resolves at once without listeners', async () => {
    await expect(createSignal<void>().emit()).resolves.toBeUndefined();
  });

  it('reports a throwing then getter without rejecting', async () => {
    const failures: unknown[] = [];
    const signal = createSignal<void>({ onError: (error) => failures.push(error) });
    const getterError = new Error('then getter failed');
    signal.addListener(
      () =>
        Object.defineProperty({}, 'then', {
          get() {
            throw getterError;
          },
        }) as Promise<void>,
    );
    const second = vi.fn();
    signal.addListener(second);

    await expect(signal.emit()).resolves.toBeUndefined();

    expect(failures).toEqual([getterError]);
    expect(second).toHaveBeenCalledTimes(1);
  });
});
