import { createSignal, createSyncSignal, type TraceEvent, traceChannel } from '@sigscope/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentLog } from '../src/logger.js';
import { resolveOptions } from '../src/options.js';
import type { RecordedEvent } from '../src/protocol.js';
import { Recorder } from '../src/recorder.js';
import { createCapturedLog } from './helpers.js';

const recorders: Recorder[] = [];

afterEach(() => {
  for (const recorder of recorders) recorder.stop();
  recorders.length = 0;
});

function startRecorder(options: Parameters<typeof resolveOptions>[0] = {}): Recorder {
  const recorder = new Recorder(resolveOptions(options), new AgentLog(createCapturedLog()));
  recorder.start();
  recorders.push(recorder);
  return recorder;
}

function buffered(recorder: Recorder): RecordedEvent[] {
  return recorder.buffer.after(0).map((entry) => JSON.parse(entry.json) as RecordedEvent);
}

describe('Recorder capture', () => {
  it('cuts a huge signal name to maxStringLength', () => {
    const recorder = startRecorder({ maxStringLength: 300 });
    const signal = createSyncSignal<number>({ name: 'n'.repeat(200_000) });

    signal.emit(1);
    recorder.flush();

    const events = buffered(recorder);
    const started = events.find((recorded) => recorded.event.type === 'emit.started');
    expect((started!.event as { signalName: string }).signalName).toBe(`${'n'.repeat(300)}…`);
    for (const entry of recorder.buffer.after(0)) expect(entry.bytes).toBeLessThan(2500);
  });

  it('keeps event types whole with a tiny maxStringLength', () => {
    const recorder = startRecorder({ maxStringLength: 1 });
    const signal = createSyncSignal<number>({ name: 'short' });

    signal.emit(1);
    recorder.flush();

    const types = buffered(recorder).map((recorded) => recorded.event.type);
    expect(types).toContain('emit.started');
    expect(types).toContain('emit.finished');
  });

  it('cuts a huge signal name in the snapshot', () => {
    const recorder = startRecorder({ maxStringLength: 300 });
    const signal = createSyncSignal<number>({ name: 'm'.repeat(200_000) });

    const snapshot = recorder.takeSnapshot();

    const names = snapshot.signals.map((info) => info.name);
    expect(names).toContain(`${'m'.repeat(300)}…`);
    expect(names.some((name) => name.length > 301)).toBe(false);
    expect(signal.name).toHaveLength(200_000);
  });

  it('keeps the payload as it was at emit time', async () => {
    const recorder = startRecorder();
    const signal = createSignal<{ items: string[] }>();
    const payload = { items: ['book'] };

    const emitted = signal.emit(payload);
    payload.items.push('lamp');
    await emitted;
    recorder.flush();

    const started = buffered(recorder).find((recorded) => recorded.event.type === 'emit.started');
    expect((started!.event as { payload: unknown }).payload).toEqual({
      preview: {
        $: 'object',
        size: 1,
        entries: { items: { $: 'array', length: 1, items: ['book'] } },
      },
      bytes: expect.any(Number),
    });
  });

  it('captures listener errors', async () => {
    const recorder = startRecorder();
    const signal = createSyncSignal<number>({ onError: () => {} });
    signal.addListener(() => {
      throw new RangeError('too big');
    });

    await signal.emit(1);
    recorder.flush();

    const failed = buffered(recorder).find((recorded) => recorded.event.type === 'listener.failed');
    expect((failed!.event as { error: { preview: unknown } }).error.preview).toMatchObject({
      $: 'error',
      className: 'RangeError',
      message: 'too big',
    });
  });

  it('assigns increasing seq numbers', async () => {
    const recorder = startRecorder();
    const base = recorder.lastSeq;
    const signal = createSignal<number>();

    await signal.emit(1);
    await signal.emit(2);
    recorder.flush();

    const seqs = buffered(recorder).map((recorded) => recorded.seq);
    expect(seqs).toEqual([base + 1, base + 2, base + 3, base + 4, base + 5]);
    expect(recorder.lastSeq).toBe(base + 5);
  });

  it('records nothing while paused', async () => {
    const recorder = startRecorder();
    const signal = createSignal<number>();

    recorder.pause();
    await signal.emit(1);
    recorder.resume();
    recorder.flush();

    expect(recorder.buffer.count).toBe(1);
  });

  it('keeps a handle for a cut payload', async () => {
    const recorder = startRecorder({ maxItems: 2 });

    await createSignal<number[]>().emit([1, 2, 3, 4]);
    recorder.flush();

    const started = buffered(recorder).find((recorded) => recorded.event.type === 'emit.started');
    const payload = (started!.event as { payload: { handle: string } }).payload;
    expect(payload.handle).toBe(`${started?.seq}.payload`);
    expect(recorder.getCapture(payload.handle)?.value).toEqual({
      $: 'array',
      length: 4,
      items: [1, 2, 3, 4],
    });
  });

  it('never throws into the app', async () => {
    startRecorder();
    const signal = createSignal<unknown>();
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();

    await expect(signal.emit(proxy)).resolves.toBeUndefined();
    expect(traceChannel.subscriberErrors).toBe(0);
  });
});

describe('Recorder ring buffer bounds', () => {
  it('evicts by count and counts evictions', async () => {
    const recorder = startRecorder({ maxEvents: 4 });
    const base = recorder.lastSeq;
    const signal = createSignal<number>();

    for (let index = 0; index < 5; index++) await signal.emit(index);
    recorder.flush();

    expect(recorder.buffer.count).toBe(4);
    expect(recorder.buffer.firstSeq).toBe(base + 8);
    expect(recorder.counters.evicted).toBe(7);
  });

  it('evicts by bytes', async () => {
    const recorder = startRecorder({ maxBytes: 2000 });
    const signal = createSignal<string>();

    for (let index = 0; index < 10; index++) await signal.emit('x'.repeat(200));
    recorder.flush();

    expect(recorder.buffer.bytes).toBeLessThanOrEqual(2000);
    expect(recorder.buffer.count).toBeLessThan(21);
    expect(recorder.counters.evicted).toBe(21 - recorder.buffer.count);
  });

  it('keeps counted bytes within maxBytes', () => {
    const maxBytes = 64 * 1024;
    const recorder = startRecorder({ maxBytes, maxEvents: 1_000_000 });
    const signal = createSyncSignal<{ orderId: number }>();

    for (let batch = 0; batch < 50; batch++) {
      for (let index = 0; index < 200; index++) signal.emit({ orderId: index });
      recorder.flush();
      expect(recorder.buffer.bytes).toBeLessThanOrEqual(maxBytes);
    }

    expect(recorder.counters.evicted).toBeGreaterThan(0);
    expect(recorder.buffer.count).toBeGreaterThan(0);
  });

  it('releases batch strings of evicted events', () => {
    const recorder = startRecorder({ maxBytes: 64 * 1024, maxEvents: 1_000_000 });
    const signal = createSyncSignal<{ orderId: number }>();
    const sources = new Set<unknown>();

    for (let batch = 0; batch < 50; batch++) {
      for (let index = 0; index < 200; index++) signal.emit({ orderId: index });
      for (const entry of recorder.flush().entries) sources.add(entry.source);
    }
    const live = [...sources].filter((source) => (source as { live: number }).live > 0);
    const heldByBuffer = new Set(recorder.buffer.after(0).map((entry) => entry.source));

    expect(sources.size).toBeGreaterThan(recorder.buffer.sources);
    expect(live.length).toBe(recorder.buffer.sources);
    expect(heldByBuffer.size).toBe(recorder.buffer.sources);
  });

  it('splits a batch larger than a quarter of maxBytes', () => {
    const recorder = startRecorder({ maxBytes: 8 * 1024, maxEvents: 1_000_000 });
    const signal = createSyncSignal<number>();

    for (let index = 0; index < 100; index++) signal.emit(index);
    const batch = recorder.flush();

    expect(recorder.buffer.sources).toBeGreaterThan(1);
    expect(recorder.buffer.bytes).toBeLessThanOrEqual(8 * 1024);
    expect(JSON.parse(`[${batch.eventsJson}]`)).toHaveLength(batch.entries.length);
  });

  it('frees full captures of evicted events', async () => {
    const recorder = startRecorder({ maxEvents: 2, maxItems: 1 });
    const base = recorder.lastSeq;
    const signal = createSignal<number[]>();

    await signal.emit([1, 2]);
    recorder.flush();
    const handle = `${base + 2}.payload`;
    const before = recorder.getCapture(handle);
    await signal.emit([3, 4]);
    recorder.flush();

    expect(before).toBeDefined();
    expect(recorder.getCapture(handle)).toBeUndefined();
  });

  it('drops and counts events over maxPendingEvents', async () => {
    const recorder = startRecorder({ maxPendingEvents: 3 });
    const base = recorder.lastSeq;
    const signal = createSyncSignal<number>();

    for (let index = 0; index < 3; index++) await signal.emit(index);
    const batch = recorder.flush();

    expect(batch.entries.map((entry) => entry.seq)).toEqual([base + 1, base + 2, base + 3]);
    expect(batch.dropped).toEqual([{ fromSeq: base + 4, toSeq: base + 7 }]);
    expect(recorder.counters.overflow).toBe(4);
  });
});

describe('Recorder pending queue', () => {
  it('drops and counts events over maxPendingBytes', async () => {
    const recorder = startRecorder({ maxPendingBytes: 1 });
    const base = recorder.lastSeq;
    const signal = createSignal<number>();

    await signal.emit(1);
    await signal.emit(2);
    const batch = recorder.flush();

    // signal.created fits; both emits' emit.started and emit.finished are dropped.
    expect(batch.entries.map((entry) => entry.seq)).toEqual([base + 1]);
    expect(batch.dropped).toEqual([{ fromSeq: base + 2, toSeq: base + 5 }]);
    expect(recorder.counters.overflow).toBe(4);
  });

  it('requests one flush at half the queue', async () => {
    let requests = 0;
    const options = resolveOptions({ maxPendingEvents: 4 });
    const recorder = new Recorder(options, new AgentLog(createCapturedLog()), () => requests++);
    recorder.start();
    recorders.push(recorder);
    const signal = createSignal<number>();

    await signal.emit(1);
    await signal.emit(2);
    const afterTwoEmits = requests;
    recorder.flush();
    await signal.emit(3);

    expect(afterTwoEmits).toBe(1);
    expect(requests).toBe(2);
  });

  it('keeps every field of emit events', () => {
    const recorder = startRecorder();
    const published: TraceEvent[] = [];
    const observer = (event: TraceEvent): void => {
      if (event.type !== 'snapshot') published.push(event);
    };
    traceChannel.subscribe(observer);
    const signal = createSyncSignal<number>({ name: 'fields' });
    signal.addListener(() => {});

    signal.emit(1);
    traceChannel.unsubscribe(observer);
    recorder.flush();

    // The per-type copies list fields by name, so a field core adds must show up here.
    const recorded = buffered(recorder).slice(-published.length);
    expect(recorded.map((item) => item.event.type)).toEqual(published.map((event) => event.type));
    for (const [index, event] of published.entries()) {
      const definedKeys = Object.keys(event).filter(
        (key) => event[key as keyof TraceEvent] !== undefined,
      );
      const wire = recorded[index]!.event as Record<string, unknown>;
      expect(Object.keys(wire).sort()).toEqual(definedKeys.sort());
      for (const key of definedKeys) {
        if (key === 'payload') continue;
        expect(wire[key], `${event.type}.${key}`).toEqual(event[key as keyof TraceEvent]);
      }
    }
  });

  it('continues seq after an earlier recorder', async () => {
    const earlier = startRecorder();
    await createSignal<number>().emit(1);
    earlier.stop();

    const later = startRecorder();

    expect(later.firstSeq).toBe(earlier.lastSeq + 2);
  });
});

describe('Recorder snapshot', () => {
  it('lists signals created before start', () => {
    const early = createSyncSignal<number>({ name: 'early-signal' });
    early.addListener(() => {}, 'audit');
    const recorder = startRecorder();

    const snapshot = recorder.takeSnapshot();

    const described = snapshot.signals.find((signal) => signal.name === 'early-signal');
    expect(described?.listeners.map((listener) => listener.key)).toEqual(['audit']);
  });

  it('leaves the subscriber list as it was', () => {
    const recorder = startRecorder();
    const seen: TraceEvent[] = [];
    const observer = (event: TraceEvent): void => {
      seen.push(event);
    };
    traceChannel.subscribe(observer);

    recorder.takeSnapshot();
    createSignal<number>({ name: 'after-snapshot' });
    traceChannel.unsubscribe(observer);

    expect(seen.map((event) => event.type)).toEqual(['snapshot', 'signal.created']);
    expect(recorder.recording).toBe(true);
  });
});
