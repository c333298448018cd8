import { Agent } from './agent.js';
import { AgentLog, createDefaultLogger } from './logger.js';
import { type InspectorOptions, resolveOptions } from './options.js';

export type { InspectorLogger } from './logger.js';
export { DEFAULT_LIMITS, type InspectorOptions } from './options.js';
export { PROTOCOL_VERSION } from './protocol.js';

/** Counters and buffer use of a running agent, as {@link Inspector.stats} returns them. */
export interface InspectorStats {
  /** Trace events recorded since start (each got a sequence number). */
  readonly totalEvents: number;
  readonly totalEmits: number;
  readonly dropped: {
    readonly evicted: number;
    readonly overflow: number;
    /** Summed over every client that was connected. */
    readonly slowClient: number;
  };
  readonly buffer: {
    readonly count: number;
    readonly bytes: number;
    readonly maxCount: number;
    readonly maxBytes: number;
    readonly firstSeq: number;
    readonly lastSeq: number;
  };
  /** Bytes of full captures kept behind handles. */
  readonly captureStoreBytes: number;
  readonly clients: number;
  readonly recording: boolean;
}

/** A running inspector agent, as {@link startInspector} returns it. */
export interface Inspector {
  /** The URL to open: `http://<host>:<port>/#token=<token>`. The fragment never reaches a server log. */
  readonly url: string;
  readonly host: string;
  /** The port actually bound, also when `port: 0` was asked. */
  readonly port: number;
  readonly token: string;
  /** Whether events are being recorded. */
  readonly recording: boolean;
  stats(): InspectorStats;
  /** Stops recording; events that happen while paused are lost. */
  pause(): void;
  resume(): void;
  /** Empties the ring buffer and the store of full captures; sequence numbers keep counting. */
  clear(): void;
  /** Moves captured events into the ring buffer and sends them to clients now, not at the next batch. */
  flush(): void;
  /** Returns the recording as NDJSON: an export header line, then one recorded event per line. */
  exportNdjson(): string;
  /** Closes the HTTP and WebSocket servers, frees the port and stops recording. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the inspector agent: records every trace event from core, serves the inspector UI
 * and streams the recording to it over a WebSocket, all on one loopback port. The server does
 * not keep the process alive by itself.
 *
 * @throws {TypeError} for an invalid option, naming it
 * @throws the listen error (as a rejection), such as EADDRINUSE when the port is taken
 * @example
 * import { startInspector } from '@sigscope/inspector-agent';
 *
 * const inspector = await startInspector({ appName: 'orders' });
 * console.log(`Sigscope inspector: ${inspector.url}`);
 */
export async function startInspector(options: InspectorOptions = {}): Promise<Inspector> {
  const resolved = resolveOptions(options);
  const log = new AgentLog(options.logger ?? createDefaultLogger());
  const agent = new Agent(resolved, log, options.logger === undefined);
  await agent.listen();
  return agent.toInspector();
}
