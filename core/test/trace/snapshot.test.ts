import { describe, expect, it } from 'vitest';
import { createSignal, createSyncSignal, traceChannel } from '../../src/index.js';
import { recordTrace } from '../support/record-trace.js';

describe('traceChannel.subscribe snapshot', () => {
  it('sends a snapshot first, before any later event', () => {
    const trace = recordTrace();
    createSignal({ name: 'after-subscribe' });

    expect(trace.events[0]!.type).toBe('snapshot');
    expect(trace.events[1]!.type).toBe('signal.created');
  });

  it('lists signals that existed before subscribing', () => {
    const early = createSyncSignal<void>({
      name: 'early-sync',
      experimental_owner: { kind: 'saga', name: 'checkout' },
    });
    function validate() {}
    early.addListener(validate, 'validate');
    early.addListener(() => {});
    const earlyAsync = createSignal<void>({ name: 'early-async' });

    const snapshot = recordTrace().ofType('snapshot')[0]!;

    const syncInfo = snapshot.signals.find((info) => info.name === 'early-sync');
    expect(syncInfo).toMatchObject({
      kind: 'sync',
      owner: { kind: 'saga', name: 'checkout' },
      listeners: [
        { key: 'validate', functionName: 'validate', location: undefined },
        { key: undefined, functionName: 'anonymous', location: undefined },
      ],
    });
    const asyncInfo = snapshot.signals.find((info) => info.name === 'early-async');
    expect(asyncInfo).toMatchObject({ kind: 'async', listeners: [] });
    expect(earlyAsync.isEmpty()).toBe(true);
  });

  it('reflects removals and resets made before subscribing', () => {
    const signal = createSyncSignal<void>({ name: 'trimmed' });
    signal.addListener(() => {}, 'a');
    signal.addListener(() => {}, 'b');
    signal.addListener(() => {}, 'c');
    signal.removeListener('b');
    const emptied = createSyncSignal<void>({ name: 'emptied' });
    emptied.addListener(() => {});
    emptied.reset();

    const snapshot = recordTrace().ofType('snapshot')[0]!;

    const trimmed = snapshot.signals.find((info) => info.name === 'trimmed');
    expect(trimmed?.listeners.map((listener) => listener.key)).toEqual(['a', 'c']);
    expect(snapshot.signals.find((info) => info.name === 'emptied')?.listeners).toEqual([]);
  });

  it('keeps listener ids stable between snapshot and events', async () => {
    const signal = createSyncSignal<void>({ name: 'stable-ids' });
    signal.addListener(() => {});
    const trace = recordTrace();

    await signal.emit();

    const info = trace.ofType('snapshot')[0]!.signals.find((s) => s.name === 'stable-ids')!;
    expect(trace.ofType('emit.started')[0]!.listenerIds).toEqual([info.listeners[0]!.listenerId]);
  });

  it('turns hasSubscribers on and off', () => {
    expect(traceChannel.hasSubscribers).toBe(false);
    const trace = recordTrace();
    expect(traceChannel.hasSubscribers).toBe(true);
    trace.stop();
    expect(traceChannel.hasSubscribers).toBe(false);
  });

  it('publishes nothing after unsubscribing', async () => {
    const trace = recordTrace();
    trace.stop();

    const signal = createSignal<void>();
    signal.addListener(() => {});
    await signal.emit();

    expect(trace.events.map((event) => event.type)).toEqual(['snapshot']);
  });
});
