import type { AgentMessage, CommandMessage } from '@sigscope/inspector-agent/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AgentClient,
  AgentCommandError,
  type ClientStatus,
  type WebSocketLike,
} from '../../src/connection/client.js';
import { hello } from '../fixtures/stream.js';

/** A WebSocket stand-in the test drives by hand. */
class FakeSocket implements WebSocketLike {
  static instances: FakeSocket[] = [];
  readyState = 0;
  readonly sent: CommandMessage[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as CommandMessage);
  }

  close(): void {
    this.readyState = 3;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  receive(message: AgentMessage): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
}

function latest(): FakeSocket {
  return FakeSocket.instances.at(-1)!;
}

function createClient(overrides: { probe?: () => Promise<boolean>; lastSeq?: () => number } = {}) {
  const statuses: ClientStatus[] = [];
  const messages: AgentMessage[] = [];
  const client = new AgentClient({
    url: 'ws://127.0.0.1:1/ws?token=t',
    createSocket: (url) => new FakeSocket(url),
    onMessage: (message) => messages.push(message),
    onStatus: (status) => statuses.push(status),
    getLastSeq: overrides.lastSeq ?? (() => 0),
    probe: overrides.probe,
    initialDelayMs: 100,
    maxDelayMs: 1000,
  });
  return { client, statuses, messages };
}

describe('AgentClient', () => {
  beforeEach(() => {
    FakeSocket.instances = [];
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('subscribes after hello', () => {
    const { client, statuses } = createClient();
    client.start();
    latest().open();
    latest().receive(hello());

    expect(statuses.at(-1)?.state).toBe('connected');
    expect(latest().sent).toEqual([
      expect.objectContaining({ type: 'subscribe', protocolVersion: 1 }),
    ]);
    expect(latest().sent[0]).not.toHaveProperty('lastSeq');
  });

  it('reconnects with backoff and resumes from lastSeq', async () => {
    let lastSeq = 0;
    const { client, statuses } = createClient({ lastSeq: () => lastSeq });
    client.start();
    latest().open();
    latest().receive(hello());
    lastSeq = 42;

    latest().drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(statuses.at(-1)).toMatchObject({ state: 'reconnecting', attempt: 1, retryInMs: 100 });
    expect(FakeSocket.instances).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(100);
    expect(FakeSocket.instances).toHaveLength(2);

    latest().drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(statuses.at(-1)).toMatchObject({ state: 'reconnecting', attempt: 2, retryInMs: 200 });

    await vi.advanceTimersByTimeAsync(200);
    latest().open();
    latest().receive(hello());
    expect(latest().sent[0]).toMatchObject({ type: 'subscribe', lastSeq: 42 });
    expect(statuses.at(-1)).toMatchObject({ state: 'connected', attempt: 0 });
  });

  it('caps the backoff at maxDelayMs', async () => {
    const { client, statuses } = createClient();
    client.start();
    for (let attempt = 0; attempt < 6; attempt++) {
      latest().drop();
      await vi.advanceTimersByTimeAsync(0);
      await vi.advanceTimersByTimeAsync(statuses.at(-1)!.retryInMs!);
    }

    const delays = statuses
      .map((status) => status.retryInMs)
      .filter((delay) => delay !== undefined);
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('stops retrying when the agent refuses the token', async () => {
    const { client, statuses } = createClient({ probe: async () => true });
    client.start();
    latest().drop();
    await vi.advanceTimersByTimeAsync(5000);

    expect(statuses.at(-1)?.state).toBe('rejected');
    expect(FakeSocket.instances).toHaveLength(1);
  });

  it('retries when the agent is unreachable', async () => {
    const { client, statuses } = createClient({ probe: async () => false });
    client.start();
    latest().drop();
    await vi.advanceTimersByTimeAsync(0);

    expect(statuses.at(-1)?.state).toBe('reconnecting');
  });

  it('rejects a newer protocol version without retrying', async () => {
    const { client, statuses } = createClient();
    client.start();
    latest().open();
    latest().receive(hello({ protocolVersion: 99 }));
    await vi.advanceTimersByTimeAsync(5000);

    expect(statuses.at(-1)?.state).toBe('incompatible');
    expect(FakeSocket.instances).toHaveLength(1);
  });

  it('resolves commands on ack and rejects on error', async () => {
    const { client } = createClient();
    client.start();
    latest().open();
    latest().receive(hello());

    const exported = client.send({ type: 'export' });
    const replayed = client.send({ type: 'replay', items: [{ seq: 1 }] });
    const [, exportCommand, replayCommand] = latest().sent;
    latest().receive({ type: 'ack', id: exportCommand!.id, command: 'export', result: 'ndjson' });
    latest().receive({
      type: 'error',
      id: replayCommand!.id,
      code: 'replay_disabled',
      message: 'replay is off',
    });

    await expect(exported).resolves.toBe('ndjson');
    await expect(replayed).rejects.toBeInstanceOf(AgentCommandError);
    await expect(replayed).rejects.toMatchObject({ code: 'replay_disabled' });
  });

  it('rejects pending commands when the socket closes', async () => {
    const { client } = createClient();
    client.start();
    latest().open();
    latest().receive(hello());
    const pending = client.send({ type: 'export' });
    latest().drop();

    await expect(pending).rejects.toThrow(/export failed: the connection closed/);
  });

  it('rejects commands while disconnected', async () => {
    const { client } = createClient();
    client.start();

    await expect(client.send({ type: 'export' })).rejects.toThrow(/not connected/);
  });

  it('stop cancels a pending reconnect', async () => {
    const { client, statuses } = createClient();
    client.start();
    latest().drop();
    await vi.advanceTimersByTimeAsync(0);
    client.stop();
    await vi.advanceTimersByTimeAsync(5000);

    expect(FakeSocket.instances).toHaveLength(1);
    expect(statuses.at(-1)?.state).toBe('stopped');
  });
});
