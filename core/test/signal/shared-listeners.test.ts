import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSignal, createSyncSignal, type ListenerErrorInfo } from '../../src/index.js';
import { deferred, flushMicrotasks } from '../support/deferred.js';

afterEach(() => {
  vi.restoreAllMocks();
});

// Counts array copies of at least `minLength` elements made through Array.prototype.slice,
// which is how the listener list copies itself.
function countLargeSlices(minLength: number): { readonly count: () => number } {
  const original = Array.prototype.slice;
  let copies = 0;
  vi.spyOn(Array.prototype, 'slice').mockImplementation(function (
    this: unknown[],
    ...args: [number?, number?]
  ) {
    if (this.length >= minLength) copies++;
    return original.apply(this, args);
  });
  return { count: () => copies };
}

describe('SyncSignal.emit without ctx', () => {
  it('runs the rest after two throws', async () => {
    const errors: [unknown, ListenerErrorInfo][] = [];
    const signal = createSyncSignal<number>({
      name: 'orders',
      onError: (error, info) => errors.push([error, info]),
    });
    const first = new Error('first');
    const second = new Error('second');
    const calls: number[] = [];
    signal.addListener(() => {
      throw first;
    }, 'a');
    signal.addListener((value) => {
      calls.push(value);
    });
    signal.addListener(() => {
      throw second;
    }, 'c');
    signal.addListener((value) => {
      calls.push(value * 10);
    });

    const result = signal.emit(1);

    expect(calls).toEqual([1, 10]);
    expect(errors).toEqual([
      [first, { signal: 'orders', key: 'a', index: 0 }],
      [second, { signal: 'orders', key: 'c', index: 2 }],
    ]);
    await expect(result).resolves.toBeUndefined();
  });

  it('awaits a promise after a throw', async () => {
    const onError = vi.fn();
    const signal = createSyncSignal<void>({ onError });
    const gate = deferred();
    const last = vi.fn();
    signal.addListener(() => {
      throw new Error('boom');
    });
    signal.addListener(() => gate.promise);
    signal.addListener(last);

    const done = signal.emit();
    await flushMicrotasks();

    expect(onError).toHaveBeenCalledTimes(1);
    expect(last).not.toHaveBeenCalled();

    gate.resolve();
    await done;

    expect(last).toHaveBeenCalledTimes(1);
  });

  it('reports by snapshot index after a removal', async () => {
    const errors: ListenerErrorInfo[] = [];
    const signal = createSyncSignal<void>({ onError: (_, info) => errors.push(info) });
    signal.addListener(() => {
      signal.removeListener('a');
    }, 'a');
    signal.addListener(() => {
      throw new Error('boom');
    }, 'b');

    await signal.emit();

    expect(errors).toEqual([{ signal: signal.name, key: 'b', index: 1 }]);
    expect(signal.len()).toBe(1);
  });

  it('goes on after a value that is no thenable', () => {
    const signal = createSyncSignal<number[]>();
    const received: number[] = [];
    // Untyped callers can return any value; `push` returns the new length.
    signal.addListener((list) => list.push(1) as unknown as undefined);
    signal.addListener((list) => list.push(2) as unknown as undefined);

    void signal.emit(received);

    expect(received).toEqual([1, 2]);
  });
});

describe.each([
  ['AsyncSignal', createSignal],
  ['SyncSignal', createSyncSignal],
] as const)('%s.addListener after an emit', (_, create) => {
  it('copies the list once, then pushes', async () => {
    const signal = create<void>();
    for (let i = 0; i < 200; i++) signal.addListener(() => {});
    await signal.emit();
    const slices = countLargeSlices(100);

    signal.addListener(() => {});
    signal.addListener(() => {});
    signal.addListener(() => {});

    // Two parallel arrays (functions and their identities) are copied once each.
    expect(slices.count()).toBe(2);
    expect(signal.len()).toBe(203);
  });

  it('copies again after the next emit', async () => {
    const signal = create<void>();
    for (let i = 0; i < 200; i++) signal.addListener(() => {});
    const slices = countLargeSlices(100);

    await signal.emit();
    signal.addListener(() => {});
    await signal.emit();
    signal.addListener(() => {});

    expect(slices.count()).toBe(4);
  });

  it('leaves an earlier emit its listeners', async () => {
    const signal = create<void>();
    const gate = deferred();
    const calls: string[] = [];
    signal.addListener(() => {
      calls.push('first');
      return gate.promise;
    }, 'first');
    signal.addListener(() => {
      calls.push('second');
    }, 'second');

    const done = signal.emit();
    signal.removeListener('second');
    signal.addListener(() => {
      calls.push('added');
    });
    gate.resolve();
    await done;

    expect(calls).toEqual(['first', 'second']);
  });
});
