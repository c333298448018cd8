/**
 * The inspector's normalized state. Records are plain objects keyed by the ids core assigns.
 *
 * The maps inside a slice are mutated in place by the reducer for speed (100k emits would be
 * too slow to copy on every batch), and every slice the reducer touches gets a new wrapper
 * object. Components therefore select a slice and re-render when its identity changes.
 */
import type {
  CapturedValue,
  GapMessage,
  HelloMessage,
  StatsMessage,
  WireTraceEvent,
} from '@sigscope/inspector-agent/protocol';

/** A wire trace event narrowed to one `type`. */
export type WireEvent<T extends WireTraceEvent['type']> = Extract<WireTraceEvent, { type: T }>;

export type SignalKind = WireEvent<'signal.created'>['kind'];
export type EmitMode = WireEvent<'emit.started'>['mode'];
export type BreakerState = WireEvent<'breaker.stateChanged'>['to'];
export type BreakerCounters = WireEvent<'breaker.stateChanged'>['counters'];
export type SagaStatus = WireEvent<'saga.run.finished'>['status'];
export type SagaStepPhase = WireEvent<'saga.step'>['phase'];
export type OwnerInfo = NonNullable<WireEvent<'signal.created'>['owner']>;

/** Limits that keep the state's memory bounded. */
export interface InspectorLimits {
  /** Emits kept for the timeline and chains; the oldest go first. @default 100_000 */
  readonly maxEmits: number;
  /**
   * Marker rows (breakers, sagas, rate limiters, event stores) kept for the timeline.
   * @default 20_000
   */
  readonly maxMarkers: number;
  /** Listener durations kept per listener for p50 and p99. @default 256 */
  readonly durationSamples: number;
  /** Recent calls kept per breaker. @default 50 */
  readonly breakerRecentCalls: number;
  /** Recent drops kept per rate-limited signal, and recent appends per event store. @default 50 */
  readonly patternRecentEntries: number;
  /** Saga runs kept across all sagas. @default 2_000 */
  readonly maxSagaRuns: number;
  /** Listener count at or above which a growing signal is reported as a likely leak. @default 10 */
  readonly leakMinListeners: number;
  /** Listener additions since the last removal at which a signal counts as growing. @default 5 */
  readonly leakGrowthSteps: number;
}

export const defaultLimits: InspectorLimits = {
  maxEmits: 100_000,
  maxMarkers: 20_000,
  durationSamples: 256,
  breakerRecentCalls: 50,
  patternRecentEntries: 50,
  maxSagaRuns: 2_000,
  leakMinListeners: 10,
  leakGrowthSteps: 5,
};

// ---------------------------------------------------------------------------------------------
// Connection
// ---------------------------------------------------------------------------------------------

export type ConnectionStatus =
  | 'idle'
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'offline'
  /** The page address has no token, so there is no agent to connect to. */
  | 'no-token'
  | 'rejected'
  | 'incompatible'
  | 'imported';

export interface ConnectionSlice {
  readonly status: ConnectionStatus;
  /** Human-readable detail for the status line: the close reason, the retry delay, a file name. */
  readonly detail: string | undefined;
  readonly app: HelloMessage['app'] | undefined;
  readonly agentVersion: string | undefined;
  readonly replayAllowed: boolean;
  /** Whether the agent records; it keeps recording while no UI is attached. */
  readonly recording: boolean;
  /** Reconnect attempt number while reconnecting, else 0. */
  readonly attempt: number;
}

// ---------------------------------------------------------------------------------------------
// Graph
// ---------------------------------------------------------------------------------------------

export interface SignalRecord {
  readonly signalId: number;
  name: string;
  kind: SignalKind;
  owner: OwnerInfo | undefined;
  /** Live listeners in registration order. */
  listenerIds: number[];
  emits: number;
  /** Emits in which at least one listener failed. */
  failedEmits: number;
  lastEmitAt: number | undefined;
  /** Listener additions since the last removal or reset, for the leak warning. */
  growthSteps: number;
  /** Highest listener count seen. */
  maxListeners: number;
  /** True when the listener count keeps growing past the leak threshold. */
  leakSuspected: boolean;
  /** Emits a rate limiter rejected because its queue was full (`ratelimiter.dropped`). */
  dropped: number;
  /** Events appended to the event store that owns this signal (`eventstore.appended`). */
  appended: number;
}

export interface ListenerRecord {
  readonly listenerId: number;
  readonly signalId: number;
  readonly key: string | undefined;
  readonly functionName: string;
  readonly location: string | undefined;
  /** Completed runs, failed ones included. */
  calls: number;
  failures: number;
  /** Ring buffer of recent durations in milliseconds. */
  durations: number[];
  /** Next write position in `durations`. */
  durationCursor: number;
  lastActiveAt: number | undefined;
}

/** A causal edge: `listenerId` emitted on `signalId` while it ran. */
export interface CausalEdge {
  readonly listenerId: number;
  readonly signalId: number;
  count: number;
}

export interface GraphSlice {
  readonly signals: Map<number, SignalRecord>;
  readonly listeners: Map<number, ListenerRecord>;
  /** Keyed by `${listenerId}->${signalId}`. */
  readonly causalEdges: Map<string, CausalEdge>;
  /** Bumped when a node or edge appears or goes: the graph layout depends only on this. */
  readonly structureVersion: number;
  /** Bumped on every change, activity included. */
  readonly version: number;
}

// ---------------------------------------------------------------------------------------------
// Emits and chains
// ---------------------------------------------------------------------------------------------

export type SpanStatus = 'pending' | 'running' | 'ok' | 'failed' | 'skipped' | 'aborted';

/** One listener's run inside one emit. */
export interface ListenerSpan {
  readonly listenerId: number;
  readonly index: number;
  startedAt: number | undefined;
  durationMs: number | undefined;
  status: SpanStatus;
  error: CapturedValue | undefined;
}

export interface ChainResult {
  readonly outcome: 'ok' | 'failed' | 'aborted';
  readonly failedIndex: number | undefined;
  readonly failedListenerId: number | undefined;
  readonly failedKey: string | undefined;
  readonly error: CapturedValue | undefined;
  readonly skipped: readonly {
    readonly listenerId: number;
    readonly key: string | undefined;
    readonly index: number;
  }[];
  readonly durationMs: number;
}

export type EmitStatus = 'running' | 'ok' | 'failed';

export interface EmitRecord {
  /** Sequence number of the `emit.started` event: the id the replay command takes. */
  readonly seq: number;
  readonly emitId: number;
  readonly parentEmitId: number | undefined;
  readonly signalId: number;
  readonly signalName: string;
  readonly mode: EmitMode;
  readonly payload: CapturedValue | undefined;
  readonly replayOf: number | undefined;
  readonly startedAt: number;
  finishedAt: number | undefined;
  durationMs: number | undefined;
  failures: number;
  status: EmitStatus;
  /** One span per listener the emit runs, in order. */
  spans: ListenerSpan[];
  /** Emits started while one of this emit's listeners ran. */
  childEmitIds: number[];
  /** Set for `tryEmit` once its chain finished. */
  chain: ChainResult | undefined;
  /** The payload preview as JSON text, built on first search. */
  searchText?: string;
}

// ---------------------------------------------------------------------------------------------
// Timeline markers, breakers and sagas
// ---------------------------------------------------------------------------------------------

export interface BreakerMarker {
  readonly kind: 'breaker';
  readonly seq: number;
  readonly ts: number;
  readonly breakerId: number;
  readonly name: string;
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly reason: string;
}

export interface SagaMarker {
  readonly kind: 'saga';
  readonly seq: number;
  readonly ts: number;
  readonly sagaId: number;
  readonly runId: number;
  readonly name: string;
  readonly step: string;
  readonly phase: SagaStepPhase | 'run.started' | 'run.finished';
  readonly attempt: number;
}

export interface RateLimiterMarker {
  readonly kind: 'ratelimiter';
  readonly seq: number;
  readonly ts: number;
  readonly signalId: number;
  readonly name: string;
  /** Queue length when the emit was rejected. */
  readonly queued: number;
  readonly capacity: number;
}

export interface EventStoreMarker {
  readonly kind: 'eventstore';
  readonly seq: number;
  readonly ts: number;
  readonly storeId: number;
  readonly name: string;
  readonly version: number;
  readonly eventType: string;
}

export type TimelineMarker = BreakerMarker | SagaMarker | RateLimiterMarker | EventStoreMarker;

/** One timeline row: an emit or a marker, in sequence order. */
export type TimelineEntry =
  | { readonly kind: 'emit'; readonly seq: number; readonly emitId: number }
  | { readonly kind: 'marker'; readonly seq: number; readonly marker: TimelineMarker };

export interface EmitSlice {
  readonly byId: Map<number, EmitRecord>;
  /** Emits and markers in sequence order. */
  readonly timeline: TimelineEntry[];
  /** Emits whose mode is `try`, in start order. */
  readonly chainIds: number[];
  /** Emits and markers dropped from the front to respect the limits. */
  readonly evicted: number;
  readonly version: number;
}

export interface BreakerTransition {
  readonly seq: number;
  readonly ts: number;
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly reason: string;
  readonly counters: BreakerCounters;
}

export interface BreakerCall {
  readonly seq: number;
  readonly ts: number;
  readonly outcome: WireEvent<'breaker.callResult'>['outcome'];
  readonly state: BreakerState;
  readonly durationMs: number;
  readonly error: CapturedValue | undefined;
}

export interface BreakerRecord {
  readonly breakerId: number;
  readonly name: string;
  state: BreakerState;
  settings: WireEvent<'breaker.created'>['settings'] | undefined;
  counters: BreakerCounters;
  history: BreakerTransition[];
  recentCalls: BreakerCall[];
}

export interface SagaAttempt {
  readonly attempt: number;
  startedAt: number;
  outcome: 'running' | 'completed' | 'failed' | 'retry';
  durationMs: number | undefined;
  error: CapturedValue | undefined;
  /** Backoff before the next attempt, set when the outcome is `retry`. */
  retryDelayMs: number | undefined;
}

export interface SagaRollback {
  readonly stepIndex: number;
  readonly step: string;
  readonly startedAt: number;
  status: 'running' | 'rolled_back' | 'failed';
  durationMs: number | undefined;
  error: CapturedValue | undefined;
}

export interface SagaStepRecord {
  readonly index: number;
  readonly name: string;
  status: 'pending' | 'running' | 'completed' | 'failed';
  attempts: SagaAttempt[];
}

export interface SagaRunRecord {
  readonly runId: number;
  readonly sagaId: number;
  readonly name: string;
  readonly startedAt: number;
  readonly data: CapturedValue | undefined;
  status: SagaStatus;
  durationMs: number | undefined;
  error: CapturedValue | undefined;
  /** Indexed by step index. */
  steps: SagaStepRecord[];
  /** In the order they ran, which is the reverse of the step order. */
  rollbacks: SagaRollback[];
}

export interface SagaRecord {
  readonly sagaId: number;
  readonly name: string;
  steps: WireEvent<'saga.created'>['steps'];
  runIds: number[];
}

/** One emit a rate limiter rejected. */
export interface RateLimiterDrop {
  readonly seq: number;
  readonly ts: number;
  readonly queued: number;
  readonly capacity: number;
  readonly payload: CapturedValue | undefined;
}

export interface RateLimiterRecord {
  /** The id of the rate-limited signal. */
  readonly signalId: number;
  readonly name: string;
  dropped: number;
  capacity: number;
  /** Newest last, at most `patternRecentEntries`. */
  recentDrops: RateLimiterDrop[];
}

export interface EventStoreAppend {
  readonly seq: number;
  readonly ts: number;
  readonly version: number;
  readonly eventType: string;
  readonly payload: CapturedValue | undefined;
}

export interface EventStoreRecord {
  readonly storeId: number;
  readonly name: string;
  appends: number;
  /** Version of the newest appended event. */
  version: number;
  /** Appends per event type. */
  byType: Map<string, number>;
  /** Newest last, at most `patternRecentEntries`. */
  recentAppends: EventStoreAppend[];
  /** The store's `appended` signal, found by its owner, once seen. */
  signalId: number | undefined;
  /** Signal count at the last search that did not find the store's signal, else -1. */
  signalSearchSize: number;
}

export interface PatternSlice {
  readonly breakers: Map<number, BreakerRecord>;
  /** Keyed by the rate-limited signal's id. */
  readonly rateLimiters: Map<number, RateLimiterRecord>;
  readonly eventStores: Map<number, EventStoreRecord>;
  readonly sagas: Map<number, SagaRecord>;
  readonly runs: Map<number, SagaRunRecord>;
  readonly version: number;
}

/** Everything the views render. */
export interface InspectorState {
  readonly limits: InspectorLimits;
  readonly connection: ConnectionSlice;
  readonly graph: GraphSlice;
  readonly emits: EmitSlice;
  readonly patterns: PatternSlice;
  readonly stats: StatsMessage | undefined;
  /** Sequence ranges the agent reported as lost. */
  readonly gaps: readonly GapMessage[];
  /** Highest sequence number ingested: sent as `lastSeq` on reconnect. */
  readonly lastSeq: number;
}
