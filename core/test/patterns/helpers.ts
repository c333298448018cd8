import { vi } from 'vitest';
import type { AsyncSignal } from '../../src/index.js';

/** Records every payload `signal` emits, in order. */
export function collect<T>(signal: AsyncSignal<T>): T[] {
  const received: T[] = [];
  signal.addListener((payload) => {
    received.push(payload);
  });
  return received;
}

/** Lets pending promise callbacks and async listeners run, under fake timers. */
export async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}

/** A promise with its settle functions, for work that a test finishes by hand. */
export function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
