import { afterEach } from 'vitest';
import { WebSocket } from 'ws';
import { type Inspector, type InspectorOptions, startInspector } from '../src/index.js';
import type { InspectorLogger } from '../src/logger.js';
import type { AgentMessage, HttpErrorBody } from '../src/protocol.js';
import { WS_PATH } from '../src/protocol.js';

type MessageOf<T extends AgentMessage['type']> = Extract<AgentMessage, { type: T }>;

/** Log lines a test agent wrote, for assertions on rejections. */
export interface CapturedLog extends InspectorLogger {
  readonly lines: { level: 'debug' | 'warn'; message: string; code?: string }[];
}

export function createCapturedLog(): CapturedLog {
  const lines: CapturedLog['lines'] = [];
  return {
    lines,
    debug: (message) => lines.push({ level: 'debug', message }),
    warn: (message, code) => lines.push({ level: 'warn', message, code }),
  };
}

const running = new Set<Inspector>();
const sockets = new Set<WebSocket>();

afterEach(async () => {
  for (const socket of sockets) socket.terminate();
  sockets.clear();
  await Promise.all([...running].map((inspector) => inspector.stop()));
  running.clear();
});

/** Starts an agent on a free port with a captured log; the test's afterEach stops it. */
export async function startTestInspector(
  options: InspectorOptions = {},
): Promise<{ inspector: Inspector; log: CapturedLog }> {
  const log = createCapturedLog();
  const inspector = await startInspector({ port: 0, appName: 'test-app', logger: log, ...options });
  running.add(inspector);
  return { inspector, log };
}

/** Returns the WebSocket URL with the agent's token, another token, or none (`null`). */
export function wsUrl(inspector: Inspector, token: string | null = inspector.token): string {
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  return `ws://127.0.0.1:${inspector.port}${WS_PATH}${query}`;
}

export function httpUrl(inspector: Inspector, path: string): string {
  return `http://127.0.0.1:${inspector.port}${path}`;
}

/** A real `ws` client that queues every message so tests can wait for the next of a type. */
export class TestClient {
  readonly received: AgentMessage[] = [];
  private readonly unread: AgentMessage[] = [];
  private waiters: (() => void)[] = [];
  private nextId = 1;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as AgentMessage;
      this.received.push(message);
      this.unread.push(message);
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    });
  }

  /** Resolves with the next unread message of `type` that matches `predicate`, and consumes it. */
  async next<T extends AgentMessage['type']>(
    type: T,
    predicate: (message: MessageOf<T>) => boolean = () => true,
  ): Promise<MessageOf<T>> {
    for (;;) {
      const index = this.unread.findIndex(
        (message) => message.type === type && predicate(message as MessageOf<T>),
      );
      if (index !== -1) return this.unread.splice(index, 1)[0] as MessageOf<T>;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Drops every unread message. */
  discard(): void {
    this.unread.length = 0;
  }

  unreadOf<T extends AgentMessage['type']>(type: T): MessageOf<T>[] {
    return this.unread.filter((message) => message.type === type) as MessageOf<T>[];
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Sends a command with a fresh id and resolves with its ack or error. */
  async command(command: Record<string, unknown>): Promise<MessageOf<'ack'> | MessageOf<'error'>> {
    const id = `c${this.nextId++}`;
    this.send({ ...command, id });
    const isAnswer = (message: AgentMessage): boolean =>
      (message.type === 'ack' || message.type === 'error') && message.id === id;
    for (;;) {
      const index = this.unread.findIndex(isAnswer);
      if (index !== -1) {
        return this.unread.splice(index, 1)[0] as MessageOf<'ack'> | MessageOf<'error'>;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) {
        resolve();
        return;
      }
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

/** Connects a client and waits for its hello. */
export async function connect(
  inspector: Inspector,
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<TestClient> {
  const socket = new WebSocket(wsUrl(inspector, options.token ?? inspector.token), {
    headers: options.headers,
  });
  sockets.add(socket);
  const client = new TestClient(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  await client.next('hello');
  return client;
}

/** Connects and subscribes; resolves once the subscribe ack arrived. */
export async function connectSubscribed(
  inspector: Inspector,
  lastSeq?: number,
): Promise<TestClient> {
  const client = await connect(inspector);
  const answer = await client.command(
    lastSeq === undefined ? { type: 'subscribe' } : { type: 'subscribe', lastSeq },
  );
  if (answer.type !== 'ack') throw new Error(`subscribe failed: ${answer.message}`);
  return client;
}

/** Attempts a WebSocket upgrade that the agent should reject; resolves with the HTTP response. */
export function rejectedUpgrade(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: HttpErrorBody }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => {
      socket.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(body) as HttpErrorBody });
      });
    });
    socket.once('error', () => {
      // ws reports the rejected upgrade as an error after unexpected-response, which already ran.
    });
  });
}

/** Collects every event recorded in the client's `events` messages, in order. */
export function recordedEvents(client: TestClient): MessageOf<'events'>['events'][number][] {
  return client.received.flatMap((message) => (message.type === 'events' ? message.events : []));
}
