/**
 * The wire protocol between the inspector agent and the inspector UI. Every message is one JSON
 * text frame with a `type`. PROTOCOL.md beside this package documents the flow.
 *
 * This module contains types and constants only, so the UI can import it into a browser build.
 */
import type { TraceEvent } from '@sigscope/core';

/** Bumped on every change that an older UI or agent cannot read. */
export const PROTOCOL_VERSION = 1;

// ---------------------------------------------------------------------------------------------
// Serialized values
// ---------------------------------------------------------------------------------------------

/**
 * An app value as the serializer captured it: JSON-safe, with tagged nodes for everything JSON
 * cannot carry. Plain strings, finite numbers, booleans and null travel as themselves.
 */
export type SerializedValue = string | number | boolean | null | SerializedTagged;

export type SerializedTagged =
  | { readonly $: 'undefined' }
  /** NaN, Infinity, -Infinity and -0. */
  | { readonly $: 'number'; readonly value: 'NaN' | 'Infinity' | '-Infinity' | '-0' }
  | { readonly $: 'bigint'; readonly value: string }
  /** `description` is `''` for a symbol created without one. */
  | { readonly $: 'symbol'; readonly description: string }
  | { readonly $: 'function'; readonly name: string }
  /** A string cut to `preview`; `length` is the original length. */
  | { readonly $: 'string'; readonly preview: string; readonly length: number }
  | { readonly $: 'date'; readonly iso: string | null }
  | { readonly $: 'regexp'; readonly source: string; readonly flags: string }
  | {
      readonly $: 'error';
      readonly className: string;
      readonly name: string;
      readonly message: string;
      readonly stack: string | undefined;
      readonly cause?: SerializedValue;
      /** Own enumerable properties such as `code`. */
      readonly props?: Readonly<Record<string, SerializedValue>>;
    }
  /** `length` above `items.length` means the rest was cut. */
  | { readonly $: 'array'; readonly items: readonly SerializedValue[]; readonly length: number }
  /**
   * Own enumerable string-keyed properties; symbol keys are skipped. `size` above the entry count
   * means the rest was cut. `className` is absent for plain and null-prototype objects.
   */
  | {
      readonly $: 'object';
      readonly className?: string;
      readonly entries: Readonly<Record<string, SerializedValue>>;
      readonly size: number;
    }
  | {
      readonly $: 'map';
      readonly entries: readonly (readonly [SerializedValue, SerializedValue])[];
      readonly size: number;
    }
  | { readonly $: 'set'; readonly items: readonly SerializedValue[]; readonly size: number }
  /** Typed arrays, ArrayBuffer, DataView and Buffer; `preview` contains the first bytes in hex. */
  | {
      readonly $: 'bytes';
      readonly className: string;
      readonly byteLength: number;
      readonly preview: string;
    }
  /** A reference back to an ancestor; `path` names it from the root, as `$.order.items[0]`. */
  | { readonly $: 'circular'; readonly path: string }
  /** A value cut by a cap. */
  | {
      readonly $: 'truncated';
      readonly reason: 'depth' | 'bytes' | 'nodes';
      readonly className?: string;
    }
  /** A value under a key that matched a redaction pattern. */
  | { readonly $: 'redacted' }
  /**
   * A value the serializer does not look into: a Proxy (`className: 'Proxy'`, revoked or not),
   * a WeakMap, a WeakSet or a Promise.
   */
  | { readonly $: 'opaque'; readonly className: string }
  /**
   * A value the serializer did not read. `reason` is `'getter'` for an accessor property, which
   * the serializer never invokes, or a short description of what failed.
   */
  | { readonly $: 'unreadable'; readonly reason: string };

/** A payload as it travels: a capped preview, plus a handle when the full value is larger. */
export interface CapturedValue {
  readonly preview: SerializedValue;
  /** Present when the preview was cut; send `getPayload` with it for the full value. */
  readonly handle?: string;
  /**
   * Estimated size of the full serialized value in bytes of JSON (string escapes are not
   * counted). When the full capture itself hit its byte cap, this is the size of what was kept.
   */
  readonly bytes: number;
}

/**
 * A trace event as it travels: the app values in it (payload, error, data) replaced by
 * serialized captures. Everything else is as core published it.
 */
export type WireTraceEvent = {
  [E in TraceEvent as E['type']]: WireFields<E>;
}[TraceEvent['type']];

type CapturedKeys = 'payload' | 'error' | 'data';

type WireFields<E> = {
  readonly [K in keyof E]: K extends CapturedKeys ? CapturedValue | undefined : WireNested<E[K]>;
};

// The snapshot's nested infos carry no app values, so they travel unchanged.
type WireNested<V> = V;

/** One recorded event with its sequence number. */
export interface RecordedEvent {
  readonly seq: number;
  readonly event: WireTraceEvent;
}

// ---------------------------------------------------------------------------------------------
// Agent to UI
// ---------------------------------------------------------------------------------------------

/** The first message on every connection. */
export interface HelloMessage {
  readonly type: 'hello';
  readonly protocolVersion: number;
  readonly app: {
    readonly name: string;
    readonly pid: number;
    readonly nodeVersion: string;
    /**
     * When the process started, in milliseconds since the Unix epoch: the same for every agent
     * the process starts, so a UI keeps its history across an agent restart.
     */
    readonly startedAt: number;
  };
  readonly agentVersion: string;
  readonly replayAllowed: boolean;
  readonly recording: boolean;
  /** Oldest sequence number still buffered, or 0 when the buffer is empty. */
  readonly firstSeq: number;
  /** Newest sequence number assigned so far, or 0. */
  readonly lastSeq: number;
}

/** Every signal, listener, breaker and saga alive now: core's snapshot, serialized. */
export interface SnapshotMessage {
  readonly type: 'snapshot';
  /** The sequence number the snapshot is current at. */
  readonly seq: number;
  readonly snapshot: Extract<WireTraceEvent, { type: 'snapshot' }>;
}

/** A batch of recorded events, in sequence order. */
export interface EventsMessage {
  readonly type: 'events';
  readonly events: readonly RecordedEvent[];
  /** True for the history sent after a subscribe, false for live events. */
  readonly backfill: boolean;
}

/**
 * Events between `fromSeq` and `toSeq` (inclusive) that this client will never get: they left the
 * buffer, were dropped under pressure, were cleared, or belong to an earlier agent run in this
 * process (`restarted`), including the events that happened while no agent ran.
 */
export interface GapMessage {
  readonly type: 'gap';
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly reason: 'evicted' | 'dropped' | 'slow-client' | 'cleared' | 'restarted';
}

/** Sent about once a second. */
export interface StatsMessage {
  readonly type: 'stats';
  /** Trace events per second over the last interval. */
  readonly eventsPerSecond: number;
  /** Emits per second over the last interval. */
  readonly emitsPerSecond: number;
  readonly totalEvents: number;
  readonly dropped: {
    /** Evicted from the ring buffer by the count or byte bound. */
    readonly evicted: number;
    /** Not recorded because the agent's pending queue was full. */
    readonly overflow: number;
    /** Not sent to this client because its socket was backed up. */
    readonly slowClient: number;
  };
  readonly buffer: {
    readonly count: number;
    /** Estimated heap bytes the ring buffer holds, counted as its `maxBytes` option describes. */
    readonly bytes: number;
    readonly maxCount: number;
    readonly maxBytes: number;
  };
  readonly clients: number;
  readonly recording: boolean;
}

/** The successful end of a command. */
export interface AckMessage {
  readonly type: 'ack';
  readonly id: string;
  readonly command: CommandMessage['type'];
  readonly result?: unknown;
}

/** Stable codes for every rejection and failure the agent reports, over WebSocket and HTTP. */
export type ErrorCode =
  | 'bad_json'
  | 'bad_message'
  | 'message_too_large'
  | 'unknown_command'
  | 'replay_disabled'
  | 'not_found'
  | 'signal_gone'
  | 'invalid_payload'
  | 'protocol_mismatch'
  /**
   * More than `slowClientBytes` wait unread in the client's socket, so the command did not run.
   * Read the pending messages, then send it again.
   */
  | 'slow_client'
  | 'internal'
  /** HTTP 401: the token is missing or wrong. */
  | 'unauthorized'
  /** HTTP 403: the Origin header names a page the agent does not trust. */
  | 'forbidden_origin'
  /** HTTP 403: the Host header is not a loopback name or the configured host. */
  | 'forbidden_host'
  /** HTTP 405. */
  | 'method_not_allowed'
  /** HTTP 426: a plain request to the WebSocket path. */
  | 'upgrade_required'
  /** HTTP 503: `maxClients` WebSocket clients are connected already. */
  | 'too_many_clients';

/** The JSON body of every HTTP rejection. */
export interface HttpErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string };
}

/** A rejected or failed command; `id` is absent when the message had none. */
export interface ErrorMessage {
  readonly type: 'error';
  readonly id?: string;
  readonly code: ErrorCode;
  readonly message: string;
}

export type AgentMessage =
  | HelloMessage
  | SnapshotMessage
  | EventsMessage
  | GapMessage
  | StatsMessage
  | AckMessage
  | ErrorMessage;

// ---------------------------------------------------------------------------------------------
// UI to agent. Every command carries an `id` the agent echoes in its ack or error.
// ---------------------------------------------------------------------------------------------

/** Starts the stream: a snapshot, then the events after `lastSeq` (or all buffered), then live. */
export interface SubscribeCommand {
  readonly type: 'subscribe';
  readonly id: string;
  /** The last sequence number this client saw, to resume after a reconnect. */
  readonly lastSeq?: number;
  /** The protocol version the client speaks; a different one gets `protocol_mismatch`. */
  readonly protocolVersion?: number;
}

/** The ack `result` of a subscribe, sent after the snapshot and the backfill. */
export interface SubscribeResult {
  /** Oldest sequence number still buffered, or 0. */
  readonly firstSeq: number;
  /** Newest sequence number in the backfill; live events follow it. */
  readonly lastSeq: number;
  /** How many events the backfill carried. */
  readonly backfilled: number;
}

/** One emit to replay. */
export interface ReplayItem {
  /** Sequence number of the recorded `emit.started` event. */
  readonly seq: number;
  /**
   * A payload to send instead of the recorded one, as plain JSON, passed to the signal as
   * parsed. Absent: the recorded payload as captured at emit time, rebuilt by `deserialize`;
   * a capture that was truncated, redacted or contains values that cannot be rebuilt is rejected
   * with `invalid_payload`.
   */
  readonly payload?: unknown;
}

/** The outcome of one replayed emit, in the replay ack's `result.items`. */
export interface ReplayResultItem {
  /** Sequence number of the recorded `emit.started` that was replayed. */
  readonly seq: number;
  /** The new emit's id; its `emit.started` carries `replayOf` = the recorded emit id. */
  readonly emitId: number;
  /** The error the replayed emit failed with (a `tryEmit` chain's error), or null. */
  readonly error: CapturedValue | null;
}

/** The ack `result` of a replay. */
export interface ReplayResult {
  readonly items: readonly ReplayResultItem[];
}

/** Replays recorded emits into their live signals, in the order given. */
export interface ReplayCommand {
  readonly type: 'replay';
  readonly id: string;
  readonly items: readonly ReplayItem[];
  /** Keep the recorded gaps between emits, capped by the agent's `maxReplayDelayMs`. */
  readonly keepTiming?: boolean;
}

/** Stops recording: events that happen while paused get no sequence number and are lost. */
export interface PauseCommand {
  readonly type: 'pause';
  readonly id: string;
}

export interface ResumeCommand {
  readonly type: 'resume';
  readonly id: string;
}

/** Empties the ring buffer and the store of full captures. Sequence numbers keep counting. */
export interface ClearCommand {
  readonly type: 'clear';
  readonly id: string;
}

/** Returns the buffered recording as NDJSON in the ack's `result`. */
export interface ExportCommand {
  readonly type: 'export';
  readonly id: string;
}

/** Returns the full value behind a capture handle in the ack's `result`. */
export interface GetPayloadCommand {
  readonly type: 'getPayload';
  readonly id: string;
  readonly handle: string;
}

/** The ack `result` of pause, resume and clear. */
export interface RecordingResult {
  readonly recording: boolean;
}

/** The ack `result` of an export. */
export interface ExportResult {
  /** The export file: an {@link ExportHeader} line, then one {@link RecordedEvent} per line. */
  readonly ndjson: string;
  readonly events: number;
}

/** The ack `result` of getPayload. */
export interface GetPayloadResult {
  readonly handle: string;
  readonly value: SerializedValue;
  readonly bytes: number;
  /** True when even the full capture hit its byte cap. */
  readonly truncated: boolean;
}

export type CommandMessage =
  | SubscribeCommand
  | ReplayCommand
  | PauseCommand
  | ResumeCommand
  | ClearCommand
  | ExportCommand
  | GetPayloadCommand;

// ---------------------------------------------------------------------------------------------
// Export files
// ---------------------------------------------------------------------------------------------

/** The first line of an NDJSON export; every later line is a {@link RecordedEvent}. */
export interface ExportHeader {
  readonly type: 'sigscope-export';
  readonly protocolVersion: number;
  readonly app: HelloMessage['app'];
  readonly exportedAt: number;
  /** Every live signal, breaker and saga at export time. */
  readonly snapshot: SnapshotMessage['snapshot'];
}

/** The URL path of the WebSocket endpoint; the token goes in the `token` query parameter. */
export const WS_PATH = '/ws';

/** The URL path of the NDJSON export over HTTP. */
export const EXPORT_PATH = '/api/export.ndjson';
