/**
 * The WebSocket client for the agent: subscribes on every `hello`, resumes with `lastSeq` after
 * a reconnect, retries with exponential backoff, and routes command replies by `id`.
 * Framework-free; the bridge connects it to the store.
 */
import {
  type AgentMessage,
  type CommandMessage,
  PROTOCOL_VERSION,
} from '@sigscope/inspector-agent/protocol';

/** The subset of the browser WebSocket the client uses, so tests can pass a fake. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

export type ClientState =
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'rejected'
  | 'incompatible'
  | 'stopped';

export interface ClientStatus {
  readonly state: ClientState;
  /** Reconnect attempts since the last successful `hello`. */
  readonly attempt: number;
  /** Delay before the next attempt while `reconnecting`. */
  readonly retryInMs: number | undefined;
  readonly detail: string | undefined;
}

export interface AgentClientOptions {
  /** WebSocket URL with the token. */
  readonly url: string;
  readonly onMessage: (message: AgentMessage) => void;
  readonly onStatus: (status: ClientStatus) => void;
  /** Returns the last sequence number ingested, sent on resubscribe; 0 means none. */
  readonly getLastSeq: () => number;
  /** @default opens a browser `WebSocket` */
  readonly createSocket?: WebSocketFactory;
  /**
   * Resolves true when the agent's HTTP server responds. It is called after a socket closed
   * without ever opening. A responding server means the upgrade was rejected, which the agent
   * does only for a wrong token or origin, so the client stops retrying.
   * @default never probes, so such closes are retried
   */
  readonly probe?: () => Promise<boolean>;
  /** First reconnect delay. @default 500 */
  readonly initialDelayMs?: number;
  /** Upper bound of the reconnect delay. @default 10_000 */
  readonly maxDelayMs?: number;
  /** Factor applied to the delay after each failed attempt. @default 2 */
  readonly backoffFactor?: number;
  /** How long a command waits for its ack or error. @default 30_000 */
  readonly commandTimeoutMs?: number;
}

/** A command without its `id`. */
type CommandRequest = CommandMessage extends infer C
  ? C extends CommandMessage
    ? Omit<C, 'id'>
    : never
  : never;

interface PendingCommand {
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

const OPEN = 1;

/** An `error` reply from the agent, with its stable code. */
export class AgentCommandError extends Error {
  readonly code: string;

  constructor(command: string, code: string, message: string) {
    super(`${command} failed (${code}): ${message}`);
    this.name = 'AgentCommandError';
    this.code = code;
  }
}

export class AgentClient {
  readonly #options: AgentClientOptions;
  readonly #pending = new Map<string, PendingCommand & { command: string }>();
  #socket: WebSocketLike | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #attempt = 0;
  #nextId = 1;
  #stopped = true;
  #subscribedOnce = false;
  #status: ClientStatus = {
    state: 'stopped',
    attempt: 0,
    retryInMs: undefined,
    detail: undefined,
  };

  constructor(options: AgentClientOptions) {
    this.#options = options;
  }

  get status(): ClientStatus {
    return this.#status;
  }

  /** Opens the first connection. Calling it while running does nothing. */
  start(): void {
    if (!this.#stopped) return;

    this.#stopped = false;
    this.#attempt = 0;
    this.#open('connecting');
  }

  /** Closes the socket, cancels the reconnect timer and rejects pending commands. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#detach()?.close(1000, 'inspector closed');
    this.#rejectPending('the inspector disconnected');
    this.#setStatus({ state: 'stopped', attempt: 0, retryInMs: undefined, detail: undefined });
  }

  /**
   * Sends a command and resolves with the ack's `result`.
   *
   * @throws AgentCommandError when the agent replies with `error`; Error when not connected or
   * when no reply came within `commandTimeoutMs`.
   */
  send(command: CommandRequest): Promise<unknown> {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN || this.#status.state !== 'connected') {
      return Promise.reject(
        new Error(`${command.type} failed: not connected to the agent. Wait for the connection.`),
      );
    }

    const id = `c${this.#nextId++}`;
    const timeoutMs = this.#options.commandTimeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${command.type} timed out after ${timeoutMs} ms without a reply.`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer, command: command.type });
      socket.send(JSON.stringify({ ...command, id }));
    });
  }

  #setStatus(status: ClientStatus): void {
    this.#status = status;
    this.#options.onStatus(status);
  }

  #open(state: 'connecting' | 'reconnecting'): void {
    this.#setStatus({ state, attempt: this.#attempt, retryInMs: undefined, detail: undefined });
    const createSocket =
      this.#options.createSocket ?? ((url: string) => new WebSocket(url) as WebSocketLike);

    let socket: WebSocketLike;
    try {
      socket = createSocket(this.#options.url);
    } catch (error) {
      this.#scheduleReconnect(`could not open the socket: ${(error as Error).message}`);
      return;
    }

    let opened = false;
    this.#socket = socket;
    socket.onopen = () => {
      opened = true;
    };
    socket.onmessage = (event) => this.#receive(event.data);
    socket.onerror = () => {
      // A close event always follows, and it carries what there is to know.
    };
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      this.#detach();
      this.#rejectPending('the connection closed');
      void this.#handleClose(opened, event.code, event.reason);
    };
  }

  #detach(): WebSocketLike | undefined {
    const socket = this.#socket;
    if (!socket) return undefined;

    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
    this.#socket = undefined;
    return socket;
  }

  async #handleClose(opened: boolean, code: number, reason: string): Promise<void> {
    if (this.#stopped) return;

    // 1008 is the WebSocket close code for a policy violation, which covers a bad token.
    if (code === 1008 || code === 4401) {
      this.#reject(reason || 'the agent rejected the token');
      return;
    }
    if (!opened && this.#options.probe) {
      const reachable = await this.#options.probe().catch(() => false);
      if (this.#stopped) return;
      if (reachable) {
        this.#reject('the agent refused the connection: the token is wrong or expired');
        return;
      }
    }
    this.#scheduleReconnect(
      reason || (opened ? 'the connection closed' : 'the agent is not reachable'),
    );
  }

  #reject(detail: string): void {
    this.#stopped = true;
    this.#setStatus({ state: 'rejected', attempt: this.#attempt, retryInMs: undefined, detail });
  }

  #scheduleReconnect(detail: string): void {
    const initial = this.#options.initialDelayMs ?? 500;
    const max = this.#options.maxDelayMs ?? 10_000;
    const factor = this.#options.backoffFactor ?? 2;
    const delay = Math.min(max, initial * factor ** this.#attempt);
    this.#attempt += 1;
    this.#setStatus({ state: 'reconnecting', attempt: this.#attempt, retryInMs: delay, detail });
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (!this.#stopped) this.#open('reconnecting');
    }, delay);
  }

  #receive(data: unknown): void {
    if (typeof data !== 'string') return;

    let message: AgentMessage;
    try {
      message = JSON.parse(data) as AgentMessage;
    } catch {
      // NOTE: the agent sends only JSON text frames, so a frame that fails to parse is dropped.
      return;
    }
    if (typeof message !== 'object' || message === null) return;

    switch (message.type) {
      case 'hello':
        this.#onHello(message);
        return;
      case 'ack': {
        const pending = this.#takePending(message.id);
        pending?.resolve(message.result);
        return;
      }
      case 'error': {
        const pending = message.id === undefined ? undefined : this.#takePending(message.id);
        if (pending) {
          pending.reject(new AgentCommandError(pending.command, message.code, message.message));
          return;
        }
        if (message.code === 'protocol_mismatch') this.#incompatible(message.message);
        this.#options.onMessage(message);
        return;
      }
      default:
        this.#options.onMessage(message);
    }
  }

  #onHello(message: Extract<AgentMessage, { type: 'hello' }>): void {
    if (message.protocolVersion !== PROTOCOL_VERSION) {
      this.#incompatible(
        `the agent speaks protocol version ${message.protocolVersion}, this inspector version ${PROTOCOL_VERSION}. Use the inspector the agent serves.`,
      );
      return;
    }

    this.#options.onMessage(message);
    this.#attempt = 0;
    this.#setStatus({ state: 'connected', attempt: 0, retryInMs: undefined, detail: undefined });

    const lastSeq = this.#options.getLastSeq();
    const resume = this.#subscribedOnce && lastSeq > 0;
    this.#subscribedOnce = true;
    this.send({
      type: 'subscribe',
      protocolVersion: PROTOCOL_VERSION,
      ...(resume ? { lastSeq } : {}),
    }).catch(() => {
      // A failed subscribe closes the socket on the agent side, which the close handler retries.
    });
  }

  #incompatible(detail: string): void {
    this.#stopped = true;
    this.#detach()?.close(1000, 'protocol mismatch');
    this.#rejectPending(detail);
    this.#setStatus({ state: 'incompatible', attempt: 0, retryInMs: undefined, detail });
  }

  #takePending(id: string) {
    const pending = this.#pending.get(id);
    if (!pending) return undefined;

    clearTimeout(pending.timer);
    this.#pending.delete(id);
    return pending;
  }

  #rejectPending(reason: string): void {
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`${pending.command} failed: ${reason}.`));
      this.#pending.delete(id);
    }
  }
}
