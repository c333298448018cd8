import { createSyncSignal } from '@sigscope/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RecordedEvent } from '../src/protocol.js';
import {
  connectSubscribed,
  recordedEvents,
  startTestInspector,
  type TestClient,
} from './helpers.js';

// Lets a test replace core's replay function; the real one runs when `current` is unset.
const replayEmitOverride = vi.hoisted(() => ({
  current: undefined as ((...args: unknown[]) => Promise<unknown>) | undefined,
}));

vi.mock('@sigscope/core', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@sigscope/core')>();
  return {
    ...actual,
    experimental_replayEmit: (...args: Parameters<typeof actual.experimental_replayEmit>) =>
      replayEmitOverride.current?.(...args) ?? actual.experimental_replayEmit(...args),
  };
});

afterEach(() => {
  replayEmitOverride.current = undefined;
});

/** Creates a listener that records payloads and lets a test wait until it saw `count` of them. */
function recordingListener<T>() {
  const payloads: T[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  return {
    payloads,
    listener: (payload: T) => {
      payloads.push(payload);
      for (const waiter of waiters) if (payloads.length >= waiter.count) waiter.resolve();
    },
    seen: (count: number) =>
      new Promise<void>((resolve) => {
        if (payloads.length >= count) resolve();
        else waiters.push({ count, resolve });
      }),
  };
}

async function emitStartedSeqs(client: TestClient): Promise<RecordedEvent[]> {
  const answer = await client.command({ type: 'export' });
  const ndjson = (answer as { result: { ndjson: string } }).result.ndjson;
  return ndjson
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => JSON.parse(line) as RecordedEvent)
    .filter((recorded) => recorded.event.type === 'emit.started');
}

describe('replay command', () => {
  it('emits the recorded payload into the live signal', async () => {
    const { inspector } = await startTestInspector({ allowReplay: true });
    const client = await connectSubscribed(inspector);
    const signal = createSyncSignal<{ id: number; at: Date }>({ name: 'orders' });
    const seen = recordingListener<{ id: number; at: Date }>();
    signal.addListener(seen.listener);
    await signal.emit({ id: 7, at: new Date(0) });
    const [recorded] = await emitStartedSeqs(client);

    const answer = await client.command({ type: 'replay', items: [{ seq: recorded!.seq }] });

    expect(seen.payloads).toEqual([
      { id: 7, at: new Date(0) },
      { id: 7, at: new Date(0) },
    ]);
    expect(answer).toMatchObject({
      type: 'ack',
      command: 'replay',
      result: { items: [{ seq: recorded!.seq, emitId: expect.any(Number), error: null }] },
    });
    inspector.flush();
    const isReplay = (event: RecordedEvent): boolean =>
      event.event.type === 'emit.started' && event.event.replayOf !== undefined;
    await client.next('events', (message) => message.events.some(isReplay));
    const replayed = recordedEvents(client).find(isReplay);
    const original = recorded!.event as { emitId: number };
    expect(replayed?.event).toMatchObject({ replayOf: original.emitId, signalName: 'orders' });
  });

  it('sends an edited payload', async () => {
    const { inspector } = await startTestInspector({ allowReplay: true });
    const client = await connectSubscribed(inspector);
    const signal = createSyncSignal<unknown>();
    const seen = recordingListener<unknown>();
    signal.addListener(seen.listener);
    await signal.emit({ id: 1 });
    const [recorded] = await emitStartedSeqs(client);

    await client.command({ type: 'replay', items: [{ seq: recorded!.seq, payload: { id: 2 } }] });

    expect(seen.payloads).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('reports a tryEmit failure in the result', async () => {
    const { inspector } = await startTestInspector({ allowReplay: true });
    const client = await connectSubscribed(inspector);
    const signal = createSyncSignal<number>();
    signal.addListener(() => {
      throw new Error('declined');
    });
    await signal.tryEmit(1).catch(() => {});
    const [recorded] = await emitStartedSeqs(client);

    const answer = await client.command({ type: 'replay', items: [{ seq: recorded!.seq }] });

    expect(answer).toMatchObject({
      type: 'ack',
      result: { items: [{ error: { preview: { $: 'error', message: 'declined' } } }] },
    });
  });

  it('rejects a truncated recorded payload', async () => {
    const { inspector } = await startTestInspector({
      allowReplay: true,
      fullCaptureBytes: 64,
      maxStringLength: 8,
    });
    const client = await connectSubscribed(inspector);
    const signal = createSyncSignal<string>();
    const seen = recordingListener<string>();
    signal.addListener(seen.listener);
    await signal.emit('z'.repeat(500));
    const [recorded] = await emitStartedSeqs(client);

    const answer = await client.command({ type: 'replay', items: [{ seq: recorded!.seq }] });

    expect(answer).toMatchObject({ type: 'error', code: 'invalid_payload' });
    expect(seen.payloads).toHaveLength(1);
  });

  it('stops at a signal that is gone', async () => {
    const { inspector } = await startTestInspector({ allowReplay: true });
    const client = await connectSubscribed(inspector);
    const signal = createSyncSignal<number>({ name: 'collected' });
    await signal.emit(1);
    const [recorded] = await emitStartedSeqs(client);
    replayEmitOverride.current = () =>
      Promise.reject(Object.assign(new Error('no live signal'), { code: 'signal_gone' }));

    const answer = await client.command({ type: 'replay', items: [{ seq: recorded!.seq }] });

    expect(answer).toMatchObject({ type: 'error', code: 'signal_gone' });
    expect((answer as { message: string }).message).toContain('0 of 1 emits were replayed');
  });

  it('rejects a seq that is not an emit', async () => {
    const { inspector } = await startTestInspector({ allowReplay: true });
    const base = inspector.stats().buffer.lastSeq;
    const client = await connectSubscribed(inspector);
    createSyncSignal<number>();
    inspector.flush();

    const answer = await client.command({ type: 'replay', items: [{ seq: base + 1 }] });

    expect(answer).toMatchObject({ type: 'error', code: 'bad_message' });
  });

  it('rejects an unknown seq', async () => {
    const { inspector } = await startTestInspector({ allowReplay: true });
    const client = await connectSubscribed(inspector);

    const answer = await client.command({ type: 'replay', items: [{ seq: 42 }] });

    expect(answer).toMatchObject({ type: 'error', code: 'not_found' });
  });

  it('rejects more items than maxReplayItems', async () => {
    const { inspector } = await startTestInspector({ allowReplay: true, maxReplayItems: 1 });
    const client = await connectSubscribed(inspector);

    const answer = await client.command({ type: 'replay', items: [{ seq: 1 }, { seq: 2 }] });

    expect(answer).toMatchObject({ type: 'error', code: 'bad_message' });
  });

  it('keeps recorded timing up to the cap', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    try {
      const { inspector } = await startTestInspector({ allowReplay: true, maxReplayDelayMs: 200 });
      const client = await connectSubscribed(inspector);
      const signal = createSyncSignal<number>();
      const seen = recordingListener<number>();
      signal.addListener(seen.listener);
      await signal.emit(1);
      vi.advanceTimersByTime(1000);
      await signal.emit(2);
      const recorded = await emitStartedSeqs(client);

      const answer = client.command({
        type: 'replay',
        keepTiming: true,
        items: recorded.map((event) => ({ seq: event.seq })),
      });
      await seen.seen(3);
      await vi.advanceTimersByTimeAsync(199);
      const beforeCap = [...seen.payloads];
      await vi.advanceTimersByTimeAsync(1);
      await seen.seen(4);

      expect(beforeCap).toEqual([1, 2, 1]);
      expect(seen.payloads).toEqual([1, 2, 1, 2]);
      expect(await answer).toMatchObject({ type: 'ack', command: 'replay' });
    } finally {
      vi.useRealTimers();
    }
  });
});
