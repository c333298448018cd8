import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSignal, createSyncSignal } from '../../src/index.js';

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

describe.each([
  ['AsyncSignal', createSignal],
  ['SyncSignal', createSyncSignal],
] as const)('%s listener keys', (_, create) => {
  it('addListener returns the count after adding', () => {
    const signal = create<void>();

    expect(signal.addListener(() => {})).toBe(1);
    expect(signal.addListener(() => {}, 'second')).toBe(2);
  });

  it('addListener returns -1 for a duplicate key', () => {
    const signal = create<void>();
    signal.addListener(() => {}, 'audit');

    expect(signal.addListener(() => {}, 'audit')).toBe(-1);
    expect(signal.len()).toBe(1);
  });

  it('adds the same function twice without keys', () => {
    const signal = create<void>();
    const listener = () => {};

    signal.addListener(listener);

    expect(signal.addListener(listener)).toBe(2);
  });

  it('removeListener returns the count after removal', () => {
    const signal = create<void>();
    signal.addListener(() => {}, 'a');
    signal.addListener(() => {}, 'b');

    expect(signal.removeListener('a')).toBe(1);
    expect(signal.len()).toBe(1);
  });

  it('removeListener returns -1 for an unknown key', () => {
    const signal = create<void>();
    signal.addListener(() => {}, 'a');

    expect(signal.removeListener('missing')).toBe(-1);
    expect(signal.removeListener('a')).toBe(0);
    expect(signal.removeListener('a')).toBe(-1);
  });

  it('frees a key for reuse after removal', () => {
    const signal = create<void>();
    signal.addListener(() => {}, 'a');
    signal.removeListener('a');

    expect(signal.addListener(() => {}, 'a')).toBe(1);
  });

  it('reset removes every listener and key', () => {
    const signal = create<void>();
    signal.addListener(() => {}, 'a');
    signal.addListener(() => {});

    signal.reset();

    expect(signal.len()).toBe(0);
    expect(signal.isEmpty()).toBe(true);
    expect(signal.addListener(() => {}, 'a')).toBe(1);
  });

  it('len and isEmpty follow adds and removals', () => {
    const signal = create<void>();
    expect(signal.len()).toBe(0);
    expect(signal.isEmpty()).toBe(true);

    signal.addListener(() => {}, 'a');
    expect(signal.len()).toBe(1);
    expect(signal.isEmpty()).toBe(false);

    signal.removeListener('a');
    expect(signal.isEmpty()).toBe(true);
  });

  it('keeps registration order after removals', async () => {
    const signal = create<void>();
    const calls: number[] = [];
    for (let i = 0; i < 6; i++) {
      signal.addListener(() => {
        calls.push(i);
      }, `key-${i}`);
    }

    signal.removeListener('key-1');
    signal.removeListener('key-4');
    await signal.emit();

    expect(calls).toEqual([0, 2, 3, 5]);
  });

  it('adds 40k listeners without copying the list', async () => {
    const signal = create<number>();
    const slices = countLargeSlices(100);

    let wrongCounts = 0;
    for (let i = 0; i < 40_000; i++) {
      if (signal.addListener(() => {}, `key-${i}`) !== i + 1) wrongCounts++;
    }

    expect(wrongCounts).toBe(0);
    expect(slices.count()).toBe(0);
    expect(signal.len()).toBe(40_000);
  });

  it('copies the list once for many adds during an emit', async () => {
    const signal = create<void>();
    for (let i = 0; i < 200; i++) signal.addListener(() => {});
    const slices = countLargeSlices(100);
    let added = 0;
    signal.addListener(() => {
      if (added > 0) return;
      for (; added < 1_000; added++) signal.addListener(() => {});
    });

    await signal.emit();

    // Two parallel arrays (functions and their identities) are copied once each.
    expect(slices.count()).toBe(2);
    expect(signal.len()).toBe(1_201);
  });
});
