import { describe, expect, it } from 'vitest';
import { createSignal, createSyncSignal } from '../../src/index.js';
import { deferred, flushMicrotasks } from '../support/deferred.js';
import { recordTrace } from '../support/record-trace.js';

describe('traceChannel signal events', () => {
  it('publishes signal.created with name, kind and owner', () => {
    const trace = recordTrace();

    const plain = createSyncSignal({ name: 'checkout' });
    const owned = createSignal({
      name: 'payments.stateChanged',
      experimental_owner: { kind: 'breaker', name: 'payments' },
    });

    const created = trace.ofType('signal.created');
    expect(created).toHaveLength(2);
    expect(created[0]).toMatchObject({
      signalId: expect.any(Number),
      name: 'checkout',
      kind: 'sync',
      owner: undefined,
    });
    expect(created[1]).toMatchObject({
      name: owned.name,
      kind: 'async',
      owner: { kind: 'breaker', name: 'payments' },
    });
    expect(created[0]!.signalId).not.toBe(created[1]!.signalId);
    expect(plain.name).toBe('checkout');
  });

  it('publishes listener.added with name, key and location', () => {
    const signal = createSyncSignal<void>();
    const trace = recordTrace();

    function auditOrder() {}
    signal.addListener(auditOrder, 'audit');
    signal.addListener(() => {});

    const added = trace.ofType('listener.added');
    expect(added).toHaveLength(2);
    expect(added[0]).toMatchObject({
      type: 'listener.added',
      listenerId: expect.any(Number),
      key: 'audit',
      functionName: 'auditOrder',
      index: 0,
    });
    expect(added[0]!.location).toMatch(/events\.test\.ts:\d+:\d+$/);
    expect(added[1]).toMatchObject({ key: undefined, functionName: 'anonymous', index: 1 });
    expect(added[1]!.listenerId).not.toBe(added[0]!.listenerId);
  });

  it('captures no location while tracing is off', () => {
    const signal = createSyncSignal<void>();
    signal.addListener(() => {}, 'before');

    const trace = recordTrace();
    const snapshot = trace.ofType('snapshot')[0]!;
    const info = snapshot.signals.find((candidate) => candidate.name === signal.name);

    expect(info?.listeners[0]?.location).toBeUndefined();
  });

  it('publishes listener.removed with id and key', () => {
    const signal = createSyncSignal<void>();
    const trace = recordTrace();
    signal.addListener(() => {}, 'gone');
    const listenerId = trace.ofType('listener.added')[0]!.listenerId;

    signal.removeListener('gone');

    expect(trace.ofType('listener.removed')).toEqual([
      expect.objectContaining({ signalId: expect.any(Number), listenerId, key: 'gone' }),
    ]);
  });

  it('publishes signal.reset with the removed count', () => {
    const signal = createSignal<void>();
    signal.addListener(() => {});
    signal.addListener(() => {});
    const trace = recordTrace();

    signal.reset();

    expect(trace.ofType('signal.reset')).toEqual([
      expect.objectContaining({ type: 'signal.reset', removed: 2, ts: expect.any(Number) }),
    ]);
  });
});

describe('traceChannel emit events', () => {
  it('publishes a sync emit from start to finish', async () => {
    const signal = createSyncSignal<{ id: number }>({ name: 'orders', onError: () => {} });
    const failure = new Error('bad');
    signal.addListener(() => {}, 'ok');
    signal.addListener(() => {
      throw failure;
    }, 'fails');
    const trace = recordTrace();
    const payload = { id: 1 };

    await signal.emit(payload);

    const types = trace.events.slice(1).map((event) => event.type);
    expect(types).toEqual([
      'emit.started',
      'listener.started',
      'listener.finished',
      'listener.started',
      'listener.failed',
      'emit.finished',
    ]);

    const started = trace.ofType('emit.started')[0]!;
    const snapshot = trace.ofType('snapshot')[0]!;
    const info = snapshot.signals.find((candidate) => candidate.name === 'orders')!;
    expect(started).toMatchObject({
      signalId: info.signalId,
      signalName: 'orders',
      mode: 'sync',
      parentEmitId: undefined,
      replayOf: undefined,
      listenerIds: info.listeners.map((listener) => listener.listenerId),
    });
    expect(started.payload).toBe(payload);

    const [firstStarted, secondStarted] = trace.ofType('listener.started');
    expect(firstStarted).toMatchObject({
      emitId: started.emitId,
      listenerId: info.listeners[0]!.listenerId,
      index: 0,
    });
    expect(secondStarted).toMatchObject({ index: 1, listenerId: info.listeners[1]!.listenerId });

    const finished = trace.ofType('listener.finished')[0]!;
    expect(finished).toMatchObject({ emitId: started.emitId, index: 0 });
    expect(finished.durationMs).toBeGreaterThanOrEqual(0);

    const failed = trace.ofType('listener.failed')[0]!;
    expect(failed).toMatchObject({ emitId: started.emitId, index: 1, error: failure });

    const emitFinished = trace.ofType('emit.finished')[0]!;
    expect(emitFinished).toMatchObject({
      emitId: started.emitId,
      signalId: info.signalId,
      failures: 1,
    });
    expect(emitFinished.durationMs).toBeGreaterThanOrEqual(0);
    expect(emitFinished.ts).toBeGreaterThanOrEqual(started.ts);
  });

  it('publishes an async emit with listeners started in a later microtask', async () => {
    const signal = createSignal<number>();
    const gate = deferred();
    signal.addListener(() => gate.promise);
    signal.addListener(() => {});
    const trace = recordTrace();

    const done = signal.emit(5);
    expect(trace.events.slice(1).map((event) => event.type)).toEqual(['emit.started']);
    expect(trace.ofType('emit.started')[0]).toMatchObject({ mode: 'async', payload: 5 });

    await flushMicrotasks();
    expect(trace.events.slice(2).map((event) => event.type)).toEqual([
      'listener.started',
      'listener.started',
      'listener.finished',
    ]);

    gate.resolve();
    await done;
    expect(trace.events.slice(5).map((event) => event.type)).toEqual([
      'listener.finished',
      'emit.finished',
    ]);
    expect(trace.ofType('listener.finished').map((event) => event.index)).toEqual([1, 0]);
  });

  it('ends an ok tryEmit with chain.finished', async () => {
    const signal = createSyncSignal<void>();
    signal.addListener(async () => {});
    const trace = recordTrace();

    await signal.tryEmit();

    expect(trace.ofType('emit.started')[0]!.mode).toBe('try');
    expect(trace.ofType('chain.finished')).toEqual([
      expect.objectContaining({
        outcome: 'ok',
        failedIndex: undefined,
        failedListenerId: undefined,
        failedKey: undefined,
        error: undefined,
        skipped: [],
      }),
    ]);
    const types = trace.events.map((event) => event.type);
    expect(types.indexOf('chain.finished')).toBe(types.indexOf('emit.finished') - 1);
  });

  it('names the failing listener and skipped ones in chain.finished', async () => {
    const signal = createSyncSignal<void>();
    const failure = new Error('declined');
    signal.addListener(() => {}, 'validate');
    signal.addListener(async () => {
      throw failure;
    }, 'charge');
    signal.addListener(() => {}, 'ship');
    signal.addListener(() => {}, 'email');
    const trace = recordTrace();

    await signal.tryEmit().catch(() => {});

    const added = trace.ofType('snapshot')[0]!.signals.find((s) => s.name === signal.name)!;
    const [, charge, ship, email] = added.listeners;
    const chain = trace.ofType('chain.finished')[0]!;
    expect(chain).toMatchObject({
      outcome: 'failed',
      failedIndex: 1,
      failedListenerId: charge!.listenerId,
      failedKey: 'charge',
      error: failure,
      skipped: [
        { listenerId: ship!.listenerId, key: 'ship', index: 2 },
        { listenerId: email!.listenerId, key: 'email', index: 3 },
      ],
    });
    expect(chain.durationMs).toBeGreaterThanOrEqual(0);
    expect(trace.ofType('emit.finished')[0]!.failures).toBe(1);
  });

  it('reports the abort reason and pending listener in chain.finished', async () => {
    const signal = createSyncSignal<void>();
    const controller = new AbortController();
    signal.addListener(() => new Promise<void>(() => {}), 'slow');
    signal.addListener(() => {}, 'next');
    const trace = recordTrace();

    const result = signal.tryEmit(undefined, { signal: controller.signal });
    controller.abort();
    await result.catch(() => {});

    expect(trace.ofType('chain.finished')[0]).toMatchObject({
      outcome: 'aborted',
      failedIndex: 0,
      failedKey: 'slow',
      error: controller.signal.reason,
      skipped: [{ key: 'next', index: 1 }],
    });
  });

  it('reports an abort between listeners without a failed index', async () => {
    const signal = createSyncSignal<void>();
    const controller = new AbortController();
    signal.addListener(() => controller.abort(), 'aborts');
    signal.addListener(() => {}, 'skipped');
    const trace = recordTrace();

    await signal.tryEmit(undefined, { signal: controller.signal }).catch(() => {});

    expect(trace.ofType('chain.finished')[0]).toMatchObject({
      outcome: 'aborted',
      failedIndex: undefined,
      failedKey: undefined,
      error: controller.signal.reason,
      skipped: [{ key: 'skipped', index: 1 }],
    });
  });

  it('publishes no chain.finished for a plain sync emit', async () => {
    const signal = createSyncSignal<void>();
    signal.addListener(async () => {});
    const trace = recordTrace();

    await signal.emit();

    expect(trace.ofType('chain.finished')).toEqual([]);
  });

  it('gives every emit a new increasing id', async () => {
    const signal = createSignal<void>();
    const trace = recordTrace();

    await signal.emit();
    await signal.emit();

    const [first, second] = trace.ofType('emit.started');
    expect(second!.emitId).toBeGreaterThan(first!.emitId);
  });
});
