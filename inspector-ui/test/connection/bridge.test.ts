import type { AgentMessage, CommandMessage } from '@sigscope/inspector-agent/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectStore } from '../../src/connection/bridge.js';
import type { WebSocketLike } from '../../src/connection/client.js';
import { createInspectorStore } from '../../src/store/store.js';
import { checkoutStream, hello, okEmit, StreamBuilder } from '../fixtures/stream.js';

class FakeSocket implements WebSocketLike {
  static instances: FakeSocket[] = [];
  readyState = 1;
  readonly sent: CommandMessage[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor() {
    FakeSocket.instances.push(this);
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as CommandMessage);
  }

  close(): void {}

  receive(message: AgentMessage): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

const address = { url: 'ws://127.0.0.1:1/ws?token=t', httpOrigin: 'http://127.0.0.1:1' };

describe('connectStore', () => {
  beforeEach(() => {
    FakeSocket.instances = [];
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('batches events until the flush interval', () => {
    const store = createInspectorStore();
    const client = connectStore(store, address, {
      createSocket: () => new FakeSocket(),
      probe: async () => false,
      flushIntervalMs: 50,
    });
    const socket = FakeSocket.instances[0]!;
    const [helloMessage, snapshot, events] = checkoutStream().messages;
    socket.onopen?.({});
    socket.receive(helloMessage!);
    socket.receive(snapshot!);
    socket.receive(events!);

    expect(store.getState().data.connection.status).toBe('connected');
    expect(store.getState().data.emits.byId.size).toBe(0);

    vi.advanceTimersByTime(50);
    expect(store.getState().data.emits.byId.size).toBe(4);
    expect(store.getState().sendCommand).toBeTypeOf('function');
    client.stop();
  });

  it('resumes from the last ingested seq after a reconnect', async () => {
    const store = createInspectorStore();
    connectStore(store, address, {
      createSocket: () => new FakeSocket(),
      probe: async () => false,
      initialDelayMs: 100,
    });
    const first = FakeSocket.instances[0]!;
    first.onopen?.({});
    first.receive(hello());
    const stream = new StreamBuilder(1);
    okEmit(stream, { emitId: 1, signalId: 1, signalName: 's', listenerIds: [] });
    first.receive(stream.batch());
    first.onclose?.({ code: 1006, reason: '' });
    await vi.advanceTimersByTimeAsync(0);

    expect(store.getState().data.connection.status).toBe('reconnecting');
    expect(store.getState().sendCommand).toBeUndefined();

    await vi.advanceTimersByTimeAsync(100);
    const second = FakeSocket.instances[1]!;
    second.onopen?.({});
    second.receive(hello());

    expect(second.sent[0]).toMatchObject({ type: 'subscribe', lastSeq: stream.seq - 1 });
  });

  it('shows a rejected token and stops', async () => {
    const store = createInspectorStore();
    connectStore(store, address, {
      createSocket: () => new FakeSocket(),
      probe: async () => true,
    });
    FakeSocket.instances[0]!.onclose?.({ code: 1006, reason: '' });
    await vi.advanceTimersByTimeAsync(10_000);

    expect(store.getState().data.connection.status).toBe('rejected');
    expect(FakeSocket.instances).toHaveLength(1);
  });
});
