import type { Socket } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createSignal, createSyncSignal } from '@sigscope/core';
import { describe, expect, it } from 'vitest';
import { connect, connectSubscribed, recordedEvents, startTestInspector } from './helpers.js';

describe('reconnect with lastSeq', () => {
  it('backfills exactly the missed events', async () => {
    const { inspector } = await startTestInspector();
    const signal = createSignal<number>({ name: 'resume' });
    const first = await connectSubscribed(inspector);
    await signal.emit(1);
    inspector.flush();
    await first.next('events', (message) => !message.backfill);
    const lastSeen = Math.max(...recordedEvents(first).map((recorded) => recorded.seq));
    await first.close();

    await signal.emit(2);
    const second = await connect(inspector);
    const ack = await second.command({ type: 'subscribe', lastSeq: lastSeen });

    const seqs = recordedEvents(second).map((recorded) => recorded.seq);
    expect(seqs).toEqual([lastSeen + 1, lastSeen + 2]);
    expect(second.received.some((message) => message.type === 'gap')).toBe(false);
    expect(ack).toMatchObject({ type: 'ack', result: { lastSeq: lastSeen + 2, backfilled: 2 } });
  });

  it('sends an evicted gap when lastSeq left the buffer', async () => {
    const { inspector } = await startTestInspector({ maxEvents: 3 });
    const base = inspector.stats().buffer.lastSeq;
    const signal = createSignal<number>();
    for (let index = 0; index < 4; index++) await signal.emit(index);
    inspector.flush();

    const client = await connect(inspector);
    await client.command({ type: 'subscribe', lastSeq: base + 1 });

    const gap = client.received.find((message) => message.type === 'gap');
    expect(gap).toEqual({ type: 'gap', fromSeq: base + 2, toSeq: base + 6, reason: 'evicted' });
    const seqs = recordedEvents(client).map((recorded) => recorded.seq);
    expect(seqs).toEqual([base + 7, base + 8, base + 9]);
  });

  it('sends a cleared gap after clear', async () => {
    const { inspector } = await startTestInspector();
    const base = inspector.stats().buffer.lastSeq;
    const signal = createSignal<number>();
    await signal.emit(1);
    inspector.clear();
    await signal.emit(2);

    const client = await connect(inspector);
    await client.command({ type: 'subscribe', lastSeq: base + 1 });

    const gap = client.received.find((message) => message.type === 'gap');
    expect(gap).toEqual({ type: 'gap', fromSeq: base + 2, toSeq: base + 3, reason: 'cleared' });
    expect(recordedEvents(client).map((recorded) => recorded.seq)).toEqual([base + 4, base + 5]);
  });

  it('backfills everything for a lastSeq from another run', async () => {
    const { inspector } = await startTestInspector();
    const base = inspector.stats().buffer.lastSeq;
    await createSignal<number>().emit(1);

    const client = await connect(inspector);
    await client.command({ type: 'subscribe', lastSeq: base + 10_000 });

    const seqs = recordedEvents(client).map((recorded) => recorded.seq);
    expect(seqs).toEqual([base + 1, base + 2, base + 3]);
  });

  it('orders gap before later events', async () => {
    const { inspector } = await startTestInspector({ maxEvents: 2 });
    const base = inspector.stats().buffer.lastSeq;
    const signal = createSignal<number>();
    await signal.emit(1);
    inspector.flush();

    const client = await connect(inspector);
    await client.command({ type: 'subscribe', lastSeq: base });

    const types = client.received.map((message) => message.type);
    expect(types).toEqual(['hello', 'snapshot', 'gap', 'events', 'ack']);
  });
});

describe('several clients', () => {
  it('send the same live events to each', async () => {
    const { inspector } = await startTestInspector();
    const clients = await Promise.all([
      connectSubscribed(inspector),
      connectSubscribed(inspector),
      connectSubscribed(inspector),
    ]);

    await createSignal<string>({ name: 'shared' }).emit('x');
    inspector.flush();
    const batches = await Promise.all(
      clients.map((client) => client.next('events', (message) => !message.backfill)),
    );

    for (const batch of batches) {
      expect(batch.events.map((recorded) => recorded.event.type)).toEqual([
        'signal.created',
        'emit.started',
        'emit.finished',
      ]);
    }
    expect(inspector.stats().clients).toBe(3);
  });

  it('skip clients that did not subscribe', async () => {
    const { inspector } = await startTestInspector();
    const idle = await connect(inspector);
    const active = await connectSubscribed(inspector);

    await createSignal<number>().emit(1);
    inspector.flush();
    await active.next('events', (message) => !message.backfill);
    await active.command({ type: 'pause' });

    expect(idle.received.filter((message) => message.type === 'events')).toHaveLength(0);
  });
});

describe('live overflow', () => {
  it('sends a dropped gap after the kept events', async () => {
    const { inspector } = await startTestInspector({
      maxPendingEvents: 2,
      batchIntervalMs: 60_000,
    });
    const signal = createSyncSignal<number>();
    signal.addListener(() => {});
    inspector.flush();
    const client = await connectSubscribed(inspector);
    const firstSeq = inspector.stats().buffer.lastSeq + 1;

    // emit.started, listener.started, listener.finished, emit.finished: two fit the queue.
    await signal.emit(1);
    inspector.flush();
    const gap = await client.next('gap');

    const live = client.received.filter(
      (message) => message.type === 'events' && !message.backfill,
    );
    expect(live).toHaveLength(1);
    const liveSeqs = live.flatMap((message) => (message.type === 'events' ? message.events : []));
    expect(liveSeqs.map((recorded) => recorded.seq)).toEqual([firstSeq, firstSeq + 1]);
    expect(gap).toEqual({
      type: 'gap',
      fromSeq: firstSeq + 2,
      toSeq: firstSeq + 3,
      reason: 'dropped',
    });
    expect(inspector.stats().dropped.overflow).toBe(2);
  });
});

describe('slow client', () => {
  it('drops events and sends a gap once drained', async () => {
    const { inspector } = await startTestInspector({ slowClientBytes: 1024 });
    const slow = await connectSubscribed(inspector);
    const fast = await connectSubscribed(inspector);
    const signal = createSyncSignal<string>();
    const payload = 'y'.repeat(1000);

    // Stop reading: the kernel buffers fill, then the agent's ws buffers, then drops begin.
    (slow.socket as unknown as { _socket: Socket })._socket.pause();
    let rounds = 0;
    while (inspector.stats().dropped.slowClient === 0 && rounds < 5000) {
      for (let index = 0; index < 20; index++) await signal.emit(payload);
      inspector.flush();
      rounds++;
      await nextTurn();
    }
    const dropped = inspector.stats().dropped.slowClient;
    (slow.socket as unknown as { _socket: Socket })._socket.resume();
    inspector.flush();

    const gap = await slow.next('gap');
    expect(dropped).toBeGreaterThan(0);
    expect(gap.reason).toBe('slow-client');
    expect(gap.toSeq).toBeGreaterThanOrEqual(gap.fromSeq);
    const fastSeqs = recordedEvents(fast).map((recorded) => recorded.seq);
    expect(fastSeqs).toContain(gap.fromSeq);
  }, 30_000);
});
