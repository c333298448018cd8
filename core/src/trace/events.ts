import type { EmitMode, SignalKind } from '../types.js';

/**
 * Trace events that core publishes on {@link traceChannel}. Every event carries `type` and `ts`
 * (milliseconds since the Unix epoch, with sub-millisecond precision from `performance.now()`).
 * Payloads, errors and data are the app's own values, passed by reference: a subscriber that
 * keeps them must copy them at once, because the app may mutate them later.
 */
export type TraceEvent =
  | SnapshotEvent
  | SignalCreatedEvent
  | SignalResetEvent
  | ListenerAddedEvent
  | ListenerRemovedEvent
  | EmitStartedEvent
  | EmitFinishedEvent
  | ListenerStartedEvent
  | ListenerFinishedEvent
  | ListenerFailedEvent
  | ChainFinishedEvent
  | BreakerCreatedEvent
  | BreakerStateChangedEvent
  | BreakerCallResultEvent
  | SagaCreatedEvent
  | SagaRunStartedEvent
  | SagaStepEvent
  | SagaRunFinishedEvent
  | RateLimiterDroppedEvent
  | EventStoreAppendedEvent;

/** The `type` of every trace event. */
export type TraceEventType = TraceEvent['type'];

interface TraceEventBase {
  /** Milliseconds since the Unix epoch. */
  readonly ts: number;
}

/** A listener as the registry describes it. */
export interface ListenerInfo {
  readonly listenerId: number;
  readonly key: string | undefined;
  /** The function's `name`, or `'anonymous'`. */
  readonly functionName: string;
  /** `file:line:column` of the `addListener` call, captured only while tracing is on. */
  readonly location: string | undefined;
}

/** A live signal as the registry describes it. */
export interface SignalInfo {
  readonly signalId: number;
  readonly name: string;
  readonly kind: SignalKind;
  /** Set for signals that a pattern owns, such as a breaker's `stateChanged`. */
  readonly owner: OwnerInfo | undefined;
  /** Listeners in registration order. */
  readonly listeners: readonly ListenerInfo[];
}

/** The pattern instance that owns a signal. */
export interface OwnerInfo {
  readonly kind: 'breaker' | 'saga' | 'aggregator' | 'rate-limiter' | 'event-store';
  readonly name: string;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Counters a circuit breaker keeps since it was created. */
export interface BreakerCounters {
  readonly calls: number;
  readonly successes: number;
  readonly failures: number;
  readonly timeouts: number;
  readonly rejections: number;
}

/** The options a circuit breaker runs with, after defaults. */
export interface BreakerSettings {
  readonly failureThreshold: number;
  readonly recoveryTimeoutMs: number;
  readonly successThreshold: number;
  readonly halfOpenMaxCalls: number;
  readonly callTimeoutMs: number | undefined;
}

export interface BreakerInfo {
  readonly breakerId: number;
  readonly name: string;
  readonly state: BreakerState;
  readonly settings: BreakerSettings;
  readonly counters: BreakerCounters;
}

export interface SagaInfo {
  readonly sagaId: number;
  readonly name: string;
  readonly steps: readonly SagaStepInfo[];
}

export interface SagaStepInfo {
  readonly name: string;
  readonly critical: boolean;
  readonly idempotent: boolean;
  readonly retries: number;
  readonly timeoutMs: number | undefined;
  readonly hasRollback: boolean;
}

/**
 * The first event a subscriber receives: everything alive at the moment it subscribed. Events
 * after it describe changes.
 */
export interface SnapshotEvent extends TraceEventBase {
  readonly type: 'snapshot';
  readonly signals: readonly SignalInfo[];
  readonly breakers: readonly BreakerInfo[];
  readonly sagas: readonly SagaInfo[];
}

export interface SignalCreatedEvent extends TraceEventBase {
  readonly type: 'signal.created';
  readonly signalId: number;
  readonly name: string;
  readonly kind: SignalKind;
  readonly owner: OwnerInfo | undefined;
}

export interface SignalResetEvent extends TraceEventBase {
  readonly type: 'signal.reset';
  readonly signalId: number;
  /** How many listeners `reset()` removed. */
  readonly removed: number;
}

export interface ListenerAddedEvent extends TraceEventBase, ListenerInfo {
  readonly type: 'listener.added';
  readonly signalId: number;
  /** Position in registration order. */
  readonly index: number;
}

export interface ListenerRemovedEvent extends TraceEventBase {
  readonly type: 'listener.removed';
  readonly signalId: number;
  readonly listenerId: number;
  readonly key: string | undefined;
}

export interface EmitStartedEvent extends TraceEventBase {
  readonly type: 'emit.started';
  /** Unique per process, increasing. */
  readonly emitId: number;
  /** The emit during whose listener this emit started, if any. */
  readonly parentEmitId: number | undefined;
  readonly signalId: number;
  readonly signalName: string;
  readonly mode: EmitMode;
  readonly payload: unknown;
  /** The listeners this emit runs, in order (a snapshot taken as the emit started). */
  readonly listenerIds: readonly number[];
  /** The recorded emit this one replays, when an inspector replayed it. */
  readonly replayOf: number | undefined;
}

export interface EmitFinishedEvent extends TraceEventBase {
  readonly type: 'emit.finished';
  readonly emitId: number;
  readonly signalId: number;
  readonly durationMs: number;
  /** How many listeners threw or rejected. */
  readonly failures: number;
}

export interface ListenerStartedEvent extends TraceEventBase {
  readonly type: 'listener.started';
  readonly emitId: number;
  readonly signalId: number;
  readonly listenerId: number;
  readonly index: number;
}

export interface ListenerFinishedEvent extends TraceEventBase {
  readonly type: 'listener.finished';
  readonly emitId: number;
  readonly signalId: number;
  readonly listenerId: number;
  readonly index: number;
  readonly durationMs: number;
}

export interface ListenerFailedEvent extends TraceEventBase {
  readonly type: 'listener.failed';
  readonly emitId: number;
  readonly signalId: number;
  readonly listenerId: number;
  readonly index: number;
  readonly durationMs: number;
  readonly error: unknown;
}

/** The end of a `tryEmit` chain: the one event that says how it went. */
export interface ChainFinishedEvent extends TraceEventBase {
  readonly type: 'chain.finished';
  readonly emitId: number;
  readonly signalId: number;
  readonly outcome: 'ok' | 'failed' | 'aborted';
  /** Index of the failing listener, or of the listener pending when the abort came. */
  readonly failedIndex: number | undefined;
  readonly failedListenerId: number | undefined;
  readonly failedKey: string | undefined;
  /** The failing listener's error, or the abort reason. */
  readonly error: unknown;
  /** Listeners that did not run because of the failure or abort, in order. */
  readonly skipped: readonly {
    readonly listenerId: number;
    readonly key: string | undefined;
    readonly index: number;
  }[];
  readonly durationMs: number;
}

export interface BreakerCreatedEvent extends TraceEventBase, BreakerInfo {
  readonly type: 'breaker.created';
}

export interface BreakerStateChangedEvent extends TraceEventBase {
  readonly type: 'breaker.stateChanged';
  readonly breakerId: number;
  readonly name: string;
  readonly from: BreakerState;
  readonly to: BreakerState;
  /** Why, in a short sentence: "5 consecutive failures", "recovery timeout elapsed", ... */
  readonly reason: string;
  readonly counters: BreakerCounters;
}

export interface BreakerCallResultEvent extends TraceEventBase {
  readonly type: 'breaker.callResult';
  readonly breakerId: number;
  readonly name: string;
  /**
   * `rejected`: the circuit refused the call without running it. `cancelled`: the caller's
   * `ctx.signal` aborted while the call ran; such calls never move the state.
   */
  readonly outcome: 'success' | 'failure' | 'timeout' | 'rejected' | 'cancelled';
  /** The breaker state when the call started. */
  readonly state: BreakerState;
  readonly durationMs: number;
  readonly error: unknown;
}

export interface SagaCreatedEvent extends TraceEventBase, SagaInfo {
  readonly type: 'saga.created';
}

export interface SagaRunStartedEvent extends TraceEventBase {
  readonly type: 'saga.run.started';
  readonly sagaId: number;
  /** Unique per process. */
  readonly runId: number;
  readonly name: string;
  readonly data: unknown;
}

export type SagaStepPhase =
  | 'started'
  | 'completed'
  | 'failed'
  | 'retry'
  | 'rollback.started'
  | 'rolled_back'
  | 'rollback.failed';

export interface SagaStepEvent extends TraceEventBase {
  readonly type: 'saga.step';
  readonly sagaId: number;
  readonly runId: number;
  readonly step: string;
  readonly index: number;
  readonly phase: SagaStepPhase;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly durationMs: number | undefined;
  readonly error: unknown;
  /** Set on `retry`: the backoff before the next attempt. */
  readonly delayMs: number | undefined;
}

export type SagaStatus =
  | 'pending'
  | 'executing'
  | 'completed'
  | 'failed'
  | 'rolling_back'
  | 'rolled_back';

export interface SagaRunFinishedEvent extends TraceEventBase {
  readonly type: 'saga.run.finished';
  readonly sagaId: number;
  readonly runId: number;
  readonly name: string;
  readonly status: SagaStatus;
  readonly durationMs: number;
  readonly error: unknown;
}

export interface RateLimiterDroppedEvent extends TraceEventBase {
  readonly type: 'ratelimiter.dropped';
  readonly signalId: number;
  readonly name: string;
  /** Queue length when the emit was rejected. */
  readonly queued: number;
  readonly capacity: number;
  readonly payload: unknown;
}

export interface EventStoreAppendedEvent extends TraceEventBase {
  readonly type: 'eventstore.appended';
  readonly storeId: number;
  readonly name: string;
  readonly version: number;
  readonly eventType: string;
  readonly payload: unknown;
}
