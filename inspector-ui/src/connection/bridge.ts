/** Connects an {@link AgentClient} to the store: messages in, status out, commands through. */
import type { AgentMessage } from '@sigscope/inspector-agent/protocol';
import type { ConnectionStatus } from '../store/model.js';
import type { InspectorStoreApi } from '../store/store.js';
import type { AgentAddress } from './address.js';
import { AgentClient, type AgentClientOptions, type ClientState } from './client.js';

export interface BridgeOptions
  extends Partial<
    Pick<AgentClientOptions, 'createSocket' | 'probe' | 'initialDelayMs' | 'maxDelayMs'>
  > {
  /**
   * How long `events` and `stats` messages are batched before the store ingests them, so a busy app
   * re-renders the views a few times a second rather than once per message.
   * @default 50
   */
  readonly flushIntervalMs?: number;
}

const statusFor: Record<ClientState, ConnectionStatus> = {
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  rejected: 'rejected',
  incompatible: 'incompatible',
  stopped: 'offline',
};

/** Returns a probe that resolves true when any HTTP server responds at `origin`. */
export function httpProbe(origin: string): () => Promise<boolean> {
  return async () => {
    try {
      // An opaque no-cors response is enough, because it proves that a server responded.
      await fetch(`${origin}/`, { mode: 'no-cors', cache: 'no-store' });
      return true;
    } catch {
      return false;
    }
  };
}

/**
 * Starts a client for `address` that feeds `store`. Returns the client; call `stop()` on it to
 * disconnect.
 */
export function connectStore(
  store: InspectorStoreApi,
  address: AgentAddress,
  options: BridgeOptions = {},
): AgentClient {
  const flushIntervalMs = options.flushIntervalMs ?? 50;
  let queue: AgentMessage[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    const batch = queue;
    queue = [];
    store.getState().ingest(batch);
  };

  const client = new AgentClient({
    url: address.url,
    createSocket: options.createSocket,
    probe: options.probe ?? httpProbe(address.httpOrigin),
    initialDelayMs: options.initialDelayMs,
    maxDelayMs: options.maxDelayMs,
    getLastSeq: () => store.getState().data.lastSeq,
    onMessage(message) {
      if (message.type === 'events' || message.type === 'stats') {
        queue.push(message);
        flushTimer ??= setTimeout(flush, flushIntervalMs);
        return;
      }
      // Everything else applies at once, after what is queued, so order is kept and `hello`
      // has reset the state before the client reads `lastSeq` for its subscribe.
      queue.push(message);
      flush();
    },
    onStatus(status) {
      if (status.state !== 'connected') flush();
      const retry =
        status.retryInMs === undefined
          ? ''
          : ` Retrying in ${(status.retryInMs / 1000).toFixed(1)} s.`;
      store.getState().setConnection({
        status: statusFor[status.state],
        attempt: status.attempt,
        detail: status.detail === undefined ? undefined : `${status.detail}.${retry}`,
      });
      store
        .getState()
        .setCommandSender(
          status.state === 'connected' ? (command) => client.send(command) : undefined,
        );
    },
  });
  client.start();
  return client;
}
