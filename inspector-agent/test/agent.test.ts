import { createSignal } from '@sigscope/core';
import { describe, expect, it } from 'vitest';
import type { GapMessage } from '../src/protocol.js';
import { connect, connectSubscribed, recordedEvents, startTestInspector } from './helpers.js';

describe('agent restart in one process', () => {
  it('reports the process start time in hello', async () => {
    const first = await startTestInspector();
    const before = await connect(first.inspector);
    const helloBefore = before.received.find((message) => message.type === 'hello');
    await first.inspector.stop();

    const second = await startTestInspector();
    const after = await connect(second.inspector);
    const helloAfter = after.received.find((message) => message.type === 'hello');

    expect(helloBefore?.app.startedAt).toBe(Math.round(performance.timeOrigin));
    expect(helloAfter?.app.startedAt).toBe(helloBefore?.app.startedAt);
    expect(helloAfter?.app.pid).toBe(process.pid);
  });

  it('continues seq and sends a restarted gap', async () => {
    const signal = createSignal<number>({ name: 'orders.placed' });
    const first = await startTestInspector();
    const client = await connectSubscribed(first.inspector);
    await signal.emit(1);
    first.inspector.flush();
    await client.next('events', (message) => !message.backfill);
    const lastSeen = Math.max(...recordedEvents(client).map((recorded) => recorded.seq));
    // Recorded by the first agent but never sent to the client.
    await signal.emit(2);
    await first.inspector.stop();
    // Emitted while no agent runs, so nobody records it.
    await signal.emit(3);

    const second = await startTestInspector();
    await signal.emit(4);
    second.inspector.flush();
    const resumed = await connect(second.inspector);
    const ack = await resumed.command({ type: 'subscribe', lastSeq: lastSeen });

    const gaps = resumed.received.filter(
      (message): message is GapMessage => message.type === 'gap',
    );
    const events = recordedEvents(resumed);
    const seqs = events.map((recorded) => recorded.seq);
    expect(ack.type).toBe('ack');
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ fromSeq: lastSeen + 1, reason: 'restarted' });
    // emit.started and emit.finished of emit 2, plus the one number left for the stopped time.
    expect(gaps[0]!.toSeq).toBe(lastSeen + 3);
    expect(seqs).toEqual([lastSeen + 4, lastSeen + 5]);
    expect(events.map((recorded) => recorded.event.type)).toEqual([
      'emit.started',
      'emit.finished',
    ]);
    const order = resumed.received.map((message) => message.type);
    expect(order.indexOf('gap')).toBeLessThan(order.indexOf('events'));
  });

  it('splits restarted and evicted gaps', async () => {
    const signal = createSignal<number>();
    const first = await startTestInspector();
    await signal.emit(1);
    first.inspector.flush();
    const lastSeen = first.inspector.stats().buffer.lastSeq;
    await first.inspector.stop();

    const second = await startTestInspector({ maxEvents: 2 });
    const firstOwnSeq = second.inspector.stats().buffer.lastSeq + 1;
    await signal.emit(2);
    await signal.emit(3);
    second.inspector.flush();
    const resumed = await connect(second.inspector);
    await resumed.command({ type: 'subscribe', lastSeq: lastSeen });

    const gaps = resumed.received.filter((message) => message.type === 'gap');
    expect(gaps).toEqual([
      { type: 'gap', fromSeq: lastSeen + 1, toSeq: firstOwnSeq - 1, reason: 'restarted' },
      { type: 'gap', fromSeq: firstOwnSeq, toSeq: firstOwnSeq + 1, reason: 'evicted' },
    ]);
    const seqs = recordedEvents(resumed).map((recorded) => recorded.seq);
    expect(seqs).toEqual([firstOwnSeq + 2, firstOwnSeq + 3]);
  });

  it('streams live events after the resume', async () => {
    const signal = createSignal<number>();
    const first = await startTestInspector();
    const client = await connectSubscribed(first.inspector);
    await signal.emit(1);
    first.inspector.flush();
    await client.next('events', (message) => !message.backfill);
    const lastSeen = Math.max(...recordedEvents(client).map((recorded) => recorded.seq));
    await first.inspector.stop();

    const second = await startTestInspector();
    const resumed = await connectSubscribed(second.inspector, lastSeen);
    await signal.emit(2);
    second.inspector.flush();
    const live = await resumed.next('events', (message) => !message.backfill);

    const seqs = live.events.map((recorded) => recorded.seq);
    expect(seqs[0]).toBeGreaterThan(lastSeen);
    expect(seqs).toEqual([seqs[0], seqs[0]! + 1]);
  });
});
