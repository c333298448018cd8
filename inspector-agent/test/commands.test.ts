import type { Socket } from 'node:net';
import { createSignal, createSyncSignal } from '@sigscope/core';
import { describe, expect, it } from 'vitest';
import type { InspectorLogger } from '../src/logger.js';
import { DEFAULT_LIMITS } from '../src/options.js';
import type { ExportHeader, RecordedEvent } from '../src/protocol.js';
import { PROTOCOL_VERSION } from '../src/protocol.js';
import { connect, connectSubscribed, recordedEvents, startTestInspector } from './helpers.js';

describe('hello message', () => {
  it('describes the app and the buffer', async () => {
    const { inspector } = await startTestInspector({ appName: 'orders' });

    const client = await connect(inspector);

    const hello = client.received[0];
    expect(hello).toMatchObject({
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      app: { name: 'orders', pid: process.pid, nodeVersion: process.version },
      replayAllowed: false,
      recording: true,
      firstSeq: 0,
      lastSeq: 0,
    });
    expect(typeof (hello as { agentVersion: unknown }).agentVersion).toBe('string');
  });
});

describe('subscribe command', () => {
  it('sends snapshot, backfill, then ack', async () => {
    const { inspector } = await startTestInspector();
    const signal = createSignal<{ id: number }>({ name: 'orders' });
    await signal.emit({ id: 1 });

    const client = await connect(inspector);
    const ack = await client.command({ type: 'subscribe' });

    const types = client.received.map((message) => message.type);
    expect(types).toEqual(['hello', 'snapshot', 'events', 'ack']);
    expect(ack).toMatchObject({ type: 'ack', command: 'subscribe', result: { backfilled: 3 } });
    const events = recordedEvents(client).map((recorded) => recorded.event.type);
    expect(events).toEqual(['signal.created', 'emit.started', 'emit.finished']);
  });

  it('puts live signals in the snapshot', async () => {
    const signal = createSyncSignal<number>({ name: 'before-start' });
    signal.addListener(function audit() {}, 'audit');
    const { inspector } = await startTestInspector();

    const client = await connectSubscribed(inspector);

    const snapshot = client.received.find((message) => message.type === 'snapshot');
    expect(snapshot?.type).toBe('snapshot');
    const signals = snapshot?.type === 'snapshot' ? snapshot.snapshot.signals : [];
    const described = signals.find((info) => info.name === 'before-start');
    expect(described).toMatchObject({
      kind: 'sync',
      listeners: [{ key: 'audit', functionName: 'audit' }],
    });
  });

  it('streams live events after the ack', async () => {
    const { inspector } = await startTestInspector();
    const client = await connectSubscribed(inspector);
    const signal = createSignal<string>({ name: 'live' });

    await signal.emit('hello');
    inspector.flush();

    const batch = await client.next('events', (message) => !message.backfill);
    const started = batch.events.find((recorded) => recorded.event.type === 'emit.started');
    expect(started?.event).toMatchObject({ signalName: 'live', payload: { preview: 'hello' } });
  });

  it('rejects a different protocol version', async () => {
    const { inspector } = await startTestInspector();
    const client = await connect(inspector);

    const answer = await client.command({ type: 'subscribe', protocolVersion: 999 });

    expect(answer).toMatchObject({ type: 'error', code: 'protocol_mismatch' });
  });

  it('rejects a negative lastSeq', async () => {
    const { inspector } = await startTestInspector();
    const client = await connect(inspector);

    const answer = await client.command({ type: 'subscribe', lastSeq: -1 });

    expect(answer).toMatchObject({ type: 'error', code: 'bad_message' });
    expect((answer as { message: string }).message).toContain('lastSeq');
  });
});

describe('stats message', () => {
  it('reports counters about once per interval', async () => {
    const { inspector } = await startTestInspector({ statsIntervalMs: 20 });
    const client = await connectSubscribed(inspector);
    await createSignal<number>().emit(1);

    const stats = await client.next('stats', (message) => message.totalEvents >= 3);

    expect(stats).toMatchObject({
      type: 'stats',
      dropped: { evicted: 0, overflow: 0, slowClient: 0 },
      clients: 1,
      recording: true,
    });
    expect(stats.buffer.maxCount).toBe(DEFAULT_LIMITS.maxEvents);
  });
});

describe('pause, resume and clear commands', () => {
  it('stops and restarts recording', async () => {
    const { inspector } = await startTestInspector();
    const client = await connectSubscribed(inspector);
    const signal = createSignal<number>();

    const paused = await client.command({ type: 'pause' });
    await signal.emit(1);
    const pausedStats = inspector.stats();
    const resumed = await client.command({ type: 'resume' });
    await signal.emit(2);

    expect(paused).toMatchObject({ type: 'ack', command: 'pause', result: { recording: false } });
    expect(resumed).toMatchObject({ type: 'ack', command: 'resume', result: { recording: true } });
    expect(pausedStats.totalEvents).toBe(1);
    expect(inspector.stats().totalEvents).toBe(3);
  });

  it('empties the buffer but keeps counting seq', async () => {
    const { inspector } = await startTestInspector();
    const base = inspector.stats().buffer.lastSeq;
    const client = await connectSubscribed(inspector);
    const signal = createSignal<number>();
    await signal.emit(1);

    const cleared = await client.command({ type: 'clear' });
    await signal.emit(2);
    inspector.flush();

    expect(cleared).toMatchObject({ type: 'ack', command: 'clear', result: { recording: true } });
    const stats = inspector.stats();
    expect(stats.buffer.count).toBe(2);
    expect(stats.buffer.firstSeq).toBe(base + 4);
  });
});

describe('export command', () => {
  it('returns header and one event per line', async () => {
    const { inspector } = await startTestInspector({ appName: 'exporter' });
    const base = inspector.stats().buffer.lastSeq;
    const client = await connect(inspector);
    await createSignal<number>({ name: 'exported' }).emit(5);

    const answer = await client.command({ type: 'export' });

    expect(answer.type).toBe('ack');
    const result = (answer as { result: { ndjson: string; events: number } }).result;
    const lines = result.ndjson.trimEnd().split('\n');
    const header = JSON.parse(lines[0]!) as ExportHeader;
    expect(header).toMatchObject({
      type: 'sigscope-export',
      protocolVersion: PROTOCOL_VERSION,
      app: { name: 'exporter' },
    });
    expect(header.snapshot.signals.some((signal) => signal.name === 'exported')).toBe(true);
    const events = lines.slice(1).map((line) => JSON.parse(line) as RecordedEvent);
    expect(events.map((recorded) => recorded.event.type)).toEqual([
      'signal.created',
      'emit.started',
      'emit.finished',
    ]);
    expect(events.map((recorded) => recorded.seq)).toEqual([base + 1, base + 2, base + 3]);
    expect(result.events).toBe(3);
  });
});

describe('getPayload command', () => {
  it('returns the full value behind a handle', async () => {
    const { inspector } = await startTestInspector({ maxStringLength: 8 });
    const client = await connectSubscribed(inspector);
    const long = 'x'.repeat(100);
    await createSignal<string>().emit(long);
    inspector.flush();
    const batch = await client.next('events', (message) => !message.backfill);
    const started = batch.events.find((recorded) => recorded.event.type === 'emit.started');
    const payload = (started!.event as { payload: { handle?: string; preview: unknown } }).payload;

    const answer = await client.command({ type: 'getPayload', handle: payload.handle });

    expect(payload.preview).toEqual({ $: 'string', preview: 'xxxxxxxx', length: 100 });
    expect(answer).toMatchObject({
      type: 'ack',
      command: 'getPayload',
      result: { handle: payload.handle, value: long, truncated: false },
    });
  });

  it('reports an unknown handle as not_found', async () => {
    const { inspector } = await startTestInspector();
    const client = await connect(inspector);

    const answer = await client.command({ type: 'getPayload', handle: '999.payload' });

    expect(answer).toMatchObject({ type: 'error', code: 'not_found' });
  });
});

describe('inbound message checks', () => {
  it('rejects malformed JSON', async () => {
    const { inspector, log } = await startTestInspector();
    const client = await connect(inspector);

    client.send('{"type": "subscribe",');
    const error = await client.next('error');

    expect(error.code).toBe('bad_json');
    expect(log.lines.some((line) => line.code === 'SIGSCOPE_BAD_JSON')).toBe(true);
  });

  it('rejects a message without id', async () => {
    const { inspector } = await startTestInspector();
    const client = await connect(inspector);

    client.send({ type: 'pause' });
    const error = await client.next('error');

    expect(error).toMatchObject({ code: 'bad_message' });
    expect(error.id).toBeUndefined();
  });

  it('rejects a non-object message', async () => {
    const { inspector } = await startTestInspector();
    const client = await connect(inspector);

    client.send('[1, 2]');
    const error = await client.next('error');

    expect(error.code).toBe('bad_message');
  });

  it('rejects an unknown command type', async () => {
    const { inspector } = await startTestInspector();
    const client = await connect(inspector);

    const answer = await client.command({ type: 'selfDestruct' });

    expect(answer).toMatchObject({ type: 'error', code: 'unknown_command' });
  });

  it('names an unknown type before a missing id', async () => {
    const { inspector } = await startTestInspector();
    const client = await connect(inspector);

    client.send({ type: 'nonsense' });
    const error = await client.next('error');

    expect(error.code).toBe('unknown_command');
    expect(error.message).toContain('"nonsense"');
    expect(error.id).toBeUndefined();
  });

  it('rejects an inherited property as command type', async () => {
    const { inspector } = await startTestInspector();
    const client = await connect(inspector);

    const answer = await client.command({ type: 'toString' });

    expect(answer).toMatchObject({ type: 'error', code: 'unknown_command' });
  });

  it('rejects an oversized message', async () => {
    const { inspector, log } = await startTestInspector({ maxMessageBytes: 1024 });
    const client = await connect(inspector);

    // The agent does not parse an oversized message, so the error carries no id.
    client.send({ type: 'subscribe', id: 'big', padding: 'x'.repeat(1500) });
    const error = await client.next('error');

    expect(error).toMatchObject({ code: 'message_too_large' });
    expect(error.message).toContain('maxMessageBytes (1024)');
    expect(log.lines.some((line) => line.code === 'SIGSCOPE_MESSAGE_TOO_LARGE')).toBe(true);
  });

  it('closes the connection above twice the limit', async () => {
    const { inspector } = await startTestInspector({ maxMessageBytes: 1024 });
    const client = await connect(inspector);

    const closed = new Promise<number>((resolve) => client.socket.once('close', resolve));
    client.send({ type: 'subscribe', id: 'big', padding: 'x'.repeat(5000) });

    expect(await closed).toBe(1009);
  });

  it('rejects binary frames', async () => {
    const { inspector } = await startTestInspector();
    const client = await connect(inspector);

    client.socket.send(Buffer.from('{"type":"pause","id":"1"}'), { binary: true });
    const error = await client.next('error');

    expect(error.code).toBe('bad_message');
  });

  it('rejects replay while disabled', async () => {
    const { inspector, log } = await startTestInspector();
    const client = await connectSubscribed(inspector);

    const answer = await client.command({ type: 'replay', items: [{ seq: 1 }] });

    expect(answer).toMatchObject({ type: 'error', code: 'replay_disabled' });
    expect(log.lines.some((line) => line.code === 'SIGSCOPE_REPLAY_DISABLED')).toBe(true);
  });
});

/** Creates a logger and a promise that resolves on its first warning with `code`. */
function warningLogger(code: string): { logger: InspectorLogger; warned: Promise<void> } {
  let resolveWarned: () => void = () => {};
  const warned = new Promise<void>((resolve) => {
    resolveWarned = resolve;
  });
  const logger: InspectorLogger = {
    debug: () => {},
    warn: (_message, warningCode) => {
      if (warningCode === code) resolveWarned();
    },
  };
  return { logger, warned };
}

/** Builds a masked WebSocket text frame, as a client sends it; the mask key is zero. */
function clientTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  if (payload.length > 125)
    throw new Error('clientTextFrame: payloads above 125 bytes need an extended length');
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length, 0, 0, 0, 0]), payload]);
}

/**
 * Records about 25 MiB of events, so one backfill or export outgrows the kernel's socket buffers.
 */
function recordLargeEvents(inspector: { flush(): void }): void {
  const signal = createSyncSignal<Record<string, string>>();
  const payload = { a: 'a'.repeat(900), b: 'b'.repeat(900), c: 'c'.repeat(900) };
  for (let index = 0; index < 9000; index++) {
    signal.emit(payload);
    if (index % 1000 === 0) inspector.flush();
  }
}

describe('commands from a client that does not read', () => {
  it('get slow_client within one TCP chunk', async () => {
    const { logger, warned } = warningLogger('SIGSCOPE_SLOW_CLIENT');
    const { inspector } = await startTestInspector({
      slowClientBytes: 1024,
      maxEvents: 20_000,
      logger,
    });
    recordLargeEvents(inspector);
    const client = await connect(inspector);
    const rawSocket = (client.socket as unknown as { _socket: Socket })._socket;

    rawSocket.pause();
    // Both frames in one write, so the agent receives them in one chunk.
    rawSocket.write(
      Buffer.concat([
        clientTextFrame('{"type":"export","id":"first"}'),
        clientTextFrame('{"type":"export","id":"second"}'),
      ]),
    );
    await warned;
    rawSocket.resume();

    const first = await client.next('ack', (message) => message.id === 'first');
    const second = await client.next('error', (message) => message.id === 'second');
    expect(first.command).toBe('export');
    expect(second.code).toBe('slow_client');
  }, 30_000);

  it('get slow_client instead of another backfill', async () => {
    const { logger, warned } = warningLogger('SIGSCOPE_SLOW_CLIENT');
    const { inspector } = await startTestInspector({
      slowClientBytes: 1024,
      maxEvents: 20_000,
      logger,
    });
    recordLargeEvents(inspector);
    const client = await connect(inspector);
    const rawSocket = (client.socket as unknown as { _socket: Socket })._socket;

    rawSocket.pause();
    client.send({ type: 'subscribe', id: 'first' });
    client.send({ type: 'subscribe', id: 'second' });
    await warned;
    rawSocket.resume();

    const first = await client.next('ack', (message) => message.id === 'first');
    const second = await client.next('error', (message) => message.id === 'second');
    expect(first.command).toBe('subscribe');
    expect(second.code).toBe('slow_client');
    expect(second.message).toMatch(/slowClientBytes \(1024\)/);
  }, 30_000);

  it('run again once the client read its backlog', async () => {
    const { logger, warned } = warningLogger('SIGSCOPE_SLOW_CLIENT');
    const { inspector } = await startTestInspector({
      slowClientBytes: 1024,
      maxEvents: 20_000,
      logger,
    });
    recordLargeEvents(inspector);
    const client = await connect(inspector);
    const rawSocket = (client.socket as unknown as { _socket: Socket })._socket;
    rawSocket.pause();
    client.send({ type: 'subscribe', id: 'first' });
    client.send({ type: 'pause', id: 'second' });
    await warned;

    rawSocket.resume();
    await client.next('error', (message) => message.id === 'second');
    const retried = await client.command({ type: 'pause' });

    expect(retried).toMatchObject({ type: 'ack', command: 'pause' });
  }, 30_000);
});
