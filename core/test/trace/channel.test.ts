import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker, createSignal, Saga, traceChannel } from '../../src/index.js';
import { lookupTraceable } from '../../src/trace/channel.js';

// Exposes V8's gc() without restarting the worker with --expose-gc: a fresh context created
// after the flag is set gets the global.
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function nextTask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('traceChannel.subscribe', () => {
  it('rejects options that are not an object', () => {
    const subscriber = () => {};

    expect(() => traceChannel.subscribe(subscriber, null as never)).toThrow(TypeError);
    expect(() => traceChannel.subscribe(subscriber, null as never)).toThrow(
      'traceChannel.subscribe: "options" must be an object or omitted, received null',
    );
    expect(traceChannel.unsubscribe(subscriber)).toBe(false);
  });

  it('rejects an onError that is not a function', () => {
    const subscriber = () => {};

    expect(() => traceChannel.subscribe(subscriber, { onError: 'log' as never })).toThrow(
      'traceChannel.subscribe: "options.onError" must be a function or omitted, received string "log"',
    );
    expect(traceChannel.unsubscribe(subscriber)).toBe(false);
  });
});

describe('trace registry', () => {
  it('does not keep signals, breakers or sagas alive', async () => {
    const gc = exposeGc();
    const subscriber = () => {};
    traceChannel.subscribe(subscriber);

    const ids = (() => {
      const signal = createSignal<number>();
      signal.addListener(() => {});
      const breaker = new CircuitBreaker();
      const saga = new Saga({ steps: [{ name: 'only', execute: () => {} }] });
      return [signal.signalId, breaker.id, breaker.stateChanged.signalId, saga.id];
    })();
    expect(ids.map((id) => lookupTraceable(id) === undefined)).toEqual([
      false,
      false,
      false,
      false,
    ]);

    traceChannel.unsubscribe(subscriber);
    // A WeakRef keeps its target until the task that created or read it has ended.
    for (let round = 0; round < 3; round++) {
      await nextTask();
      gc();
    }

    expect(ids.map((id) => lookupTraceable(id) === undefined)).toEqual([true, true, true, true]);
  });
});
