/**
 * The reducer: folds agent messages into {@link InspectorState}. Framework-free so tests and the
 * import path run it without React.
 */
import type {
  AgentMessage,
  CapturedValue,
  RecordedEvent,
  WireTraceEvent,
} from '@sigscope/inspector-agent/protocol';
import type {
  BreakerRecord,
  ConnectionSlice,
  EmitRecord,
  InspectorLimits,
  InspectorState,
  ListenerRecord,
  SagaRunRecord,
  SignalRecord,
  TimelineMarker,
  WireEvent,
} from './model.js';
import { defaultLimits } from './model.js';

const initialConnection: ConnectionSlice = {
  status: 'idle',
  detail: undefined,
  app: undefined,
  agentVersion: undefined,
  replayAllowed: false,
  recording: false,
  attempt: 0,
};

/**
 * Creates an empty state.
 *
 * @example
 * let state = createInspectorState({ maxEmits: 1_000 });
 * state = ingestMessage(state, message);
 */
export function createInspectorState(limits: Partial<InspectorLimits> = {}): InspectorState {
  return {
    limits: { ...defaultLimits, ...limits },
    connection: initialConnection,
    graph: {
      signals: new Map(),
      listeners: new Map(),
      causalEdges: new Map(),
      structureVersion: 0,
      version: 0,
    },
    emits: { byId: new Map(), timeline: [], chainIds: [], evicted: 0, version: 0 },
    patterns: {
      breakers: new Map(),
      rateLimiters: new Map(),
      eventStores: new Map(),
      sagas: new Map(),
      runs: new Map(),
      version: 0,
    },
    stats: undefined,
    gaps: [],
    lastSeq: 0,
  };
}

/** The slices one ingest changed, so only those get new wrappers. */
interface Draft {
  readonly state: InspectorState;
  graph: boolean;
  structure: boolean;
  emits: boolean;
  patterns: boolean;
  evicted: number;
  lastSeq: number;
}

type Handler<T extends WireTraceEvent['type']> = (
  draft: Draft,
  event: WireEvent<T>,
  seq: number,
) => void;

type HandlerTable = { readonly [T in WireTraceEvent['type']]: Handler<T> };

// ---------------------------------------------------------------------------------------------
// Graph handlers
// ---------------------------------------------------------------------------------------------

function ensureSignal(
  draft: Draft,
  signalId: number,
  name: string,
  kind: SignalRecord['kind'],
): SignalRecord {
  const signals = draft.state.graph.signals;
  let signal = signals.get(signalId);
  if (signal) return signal;

  signal = {
    signalId,
    name,
    kind,
    owner: undefined,
    listenerIds: [],
    emits: 0,
    failedEmits: 0,
    lastEmitAt: undefined,
    growthSteps: 0,
    maxListeners: 0,
    leakSuspected: false,
    dropped: 0,
    appended: 0,
  };
  signals.set(signalId, signal);
  draft.structure = true;
  draft.graph = true;
  return signal;
}

function addListener(
  draft: Draft,
  signal: SignalRecord,
  info: { listenerId: number; key: string | undefined; functionName: string; location?: string },
  index?: number,
): void {
  const { listeners } = draft.state.graph;
  if (!listeners.has(info.listenerId)) {
    const record: ListenerRecord = {
      listenerId: info.listenerId,
      signalId: signal.signalId,
      key: info.key,
      functionName: info.functionName,
      location: info.location,
      calls: 0,
      failures: 0,
      durations: [],
      durationCursor: 0,
      lastActiveAt: undefined,
    };
    listeners.set(info.listenerId, record);
  }
  if (!signal.listenerIds.includes(info.listenerId)) {
    const at = index === undefined ? signal.listenerIds.length : index;
    signal.listenerIds.splice(at, 0, info.listenerId);
  }
  draft.structure = true;
  draft.graph = true;
}

function removeListener(draft: Draft, signal: SignalRecord, listenerId: number): void {
  signal.listenerIds = signal.listenerIds.filter((id) => id !== listenerId);
  draft.state.graph.listeners.delete(listenerId);
  for (const [key, edge] of draft.state.graph.causalEdges) {
    if (edge.listenerId === listenerId) draft.state.graph.causalEdges.delete(key);
  }
  draft.structure = true;
  draft.graph = true;
}

/** Updates the leak heuristic after the listener count changed. */
function trackGrowth(draft: Draft, signal: SignalRecord, grew: boolean): void {
  const { leakMinListeners, leakGrowthSteps } = draft.state.limits;
  signal.growthSteps = grew ? signal.growthSteps + 1 : 0;
  signal.maxListeners = Math.max(signal.maxListeners, signal.listenerIds.length);
  signal.leakSuspected =
    signal.listenerIds.length >= leakMinListeners && signal.growthSteps >= leakGrowthSteps;
}

const onSnapshot: Handler<'snapshot'> = (draft, event) => {
  const { graph, patterns } = draft.state;
  // Records that survive keep their counters and durations, so a reconnect loses no statistics.
  const liveSignals = new Set(event.signals.map((info) => info.signalId));
  const liveListeners = new Set(
    event.signals.flatMap((info) => info.listeners.map((listener) => listener.listenerId)),
  );
  for (const signalId of graph.signals.keys()) {
    if (!liveSignals.has(signalId)) graph.signals.delete(signalId);
  }
  for (const listenerId of graph.listeners.keys()) {
    if (!liveListeners.has(listenerId)) graph.listeners.delete(listenerId);
  }
  for (const [key, edge] of graph.causalEdges) {
    if (!liveListeners.has(edge.listenerId) || !liveSignals.has(edge.signalId)) {
      graph.causalEdges.delete(key);
    }
  }

  for (const info of event.signals) {
    const signal = ensureSignal(draft, info.signalId, info.name, info.kind);
    signal.name = info.name;
    signal.kind = info.kind;
    signal.owner = info.owner;
    signal.listenerIds = [];
    for (const listener of info.listeners) addListener(draft, signal, listener);
    signal.maxListeners = Math.max(signal.maxListeners, signal.listenerIds.length);
  }

  for (const info of event.breakers) {
    const breaker = ensureBreaker(draft, info.breakerId, info.name);
    breaker.state = info.state;
    breaker.settings = info.settings;
    breaker.counters = info.counters;
  }
  for (const info of event.sagas) {
    const existing = patterns.sagas.get(info.sagaId);
    patterns.sagas.set(info.sagaId, {
      sagaId: info.sagaId,
      name: info.name,
      steps: info.steps,
      runIds: existing?.runIds ?? [],
    });
  }
  draft.structure = true;
  draft.graph = true;
  draft.patterns = true;
};

const onSignalCreated: Handler<'signal.created'> = (draft, event) => {
  const signal = ensureSignal(draft, event.signalId, event.name, event.kind);
  signal.owner = event.owner;
};

const onSignalReset: Handler<'signal.reset'> = (draft, event) => {
  const signal = draft.state.graph.signals.get(event.signalId);
  if (!signal) return;

  for (const listenerId of [...signal.listenerIds]) removeListener(draft, signal, listenerId);
  trackGrowth(draft, signal, false);
};

const onListenerAdded: Handler<'listener.added'> = (draft, event) => {
  const signal = ensureSignal(draft, event.signalId, `signal#${event.signalId}`, 'async');
  const known = signal.listenerIds.includes(event.listenerId);
  addListener(draft, signal, event, event.index);
  if (!known) trackGrowth(draft, signal, true);
};

const onListenerRemoved: Handler<'listener.removed'> = (draft, event) => {
  const signal = draft.state.graph.signals.get(event.signalId);
  if (!signal) return;

  removeListener(draft, signal, event.listenerId);
  trackGrowth(draft, signal, false);
};

// ---------------------------------------------------------------------------------------------
// Emit handlers
// ---------------------------------------------------------------------------------------------

/**
 * Returns the listener of `parent` that ran when a child emit started. Sync listeners run one
 * at a time, so exactly one is running.
 */
function runningListener(parent: EmitRecord): number | undefined {
  // NOTE: async listeners of one emit can overlap. The trace does not say which of them
  // started the child, so the one that started last is taken.
  let latest: { listenerId: number; startedAt: number } | undefined;
  for (const span of parent.spans) {
    if (span.status !== 'running' || span.startedAt === undefined) continue;
    if (!latest || span.startedAt >= latest.startedAt) {
      latest = { listenerId: span.listenerId, startedAt: span.startedAt };
    }
  }
  return latest?.listenerId;
}

function learnCausalEdge(draft: Draft, parent: EmitRecord, signalId: number): void {
  const listenerId = runningListener(parent);
  if (listenerId === undefined) return;

  const key = `${listenerId}->${signalId}`;
  const edges = draft.state.graph.causalEdges;
  const edge = edges.get(key);
  if (edge) {
    edge.count += 1;
  } else {
    edges.set(key, { listenerId, signalId, count: 1 });
    draft.structure = true;
  }
  draft.graph = true;
}

const onEmitStarted: Handler<'emit.started'> = (draft, event, seq) => {
  const { emits } = draft.state;
  const signal = ensureSignal(
    draft,
    event.signalId,
    event.signalName,
    event.mode === 'async' ? 'async' : 'sync',
  );
  signal.emits += 1;
  signal.lastEmitAt = event.ts;

  const emit: EmitRecord = {
    seq,
    emitId: event.emitId,
    parentEmitId: event.parentEmitId,
    signalId: event.signalId,
    signalName: event.signalName,
    mode: event.mode,
    payload: event.payload,
    replayOf: event.replayOf,
    startedAt: event.ts,
    finishedAt: undefined,
    durationMs: undefined,
    failures: 0,
    status: 'running',
    spans: event.listenerIds.map((listenerId, index) => ({
      listenerId,
      index,
      startedAt: undefined,
      durationMs: undefined,
      status: 'pending',
      error: undefined,
    })),
    childEmitIds: [],
    chain: undefined,
  };
  emits.byId.set(event.emitId, emit);
  emits.timeline.push({ kind: 'emit', seq, emitId: event.emitId });
  if (event.mode === 'try') emits.chainIds.push(event.emitId);

  const parent = event.parentEmitId === undefined ? undefined : emits.byId.get(event.parentEmitId);
  if (parent) {
    parent.childEmitIds.push(event.emitId);
    learnCausalEdge(draft, parent, event.signalId);
  }
  draft.emits = true;
  draft.graph = true;
};

const onEmitFinished: Handler<'emit.finished'> = (draft, event) => {
  const emit = draft.state.emits.byId.get(event.emitId);
  const signal = draft.state.graph.signals.get(event.signalId);
  if (signal && event.failures > 0) signal.failedEmits += 1;
  if (!emit) return;

  emit.finishedAt = event.ts;
  emit.durationMs = event.durationMs;
  emit.failures = event.failures;
  emit.status = event.failures > 0 || emit.chain?.outcome === 'failed' ? 'failed' : 'ok';
  draft.emits = true;
  draft.graph = true;
};

function spanOf(draft: Draft, emitId: number, listenerId: number, index: number) {
  const emit = draft.state.emits.byId.get(emitId);
  if (!emit) return undefined;

  let span = emit.spans[index];
  if (!span || span.listenerId !== listenerId) {
    span = emit.spans.find((candidate) => candidate.listenerId === listenerId);
  }
  return span;
}

function recordDuration(draft: Draft, listenerId: number, durationMs: number, failed: boolean) {
  const listener = draft.state.graph.listeners.get(listenerId);
  if (!listener) return;

  const samples = draft.state.limits.durationSamples;
  listener.calls += 1;
  if (failed) listener.failures += 1;
  listener.durations[listener.durationCursor] = durationMs;
  listener.durationCursor = (listener.durationCursor + 1) % samples;
  draft.graph = true;
}

const onListenerStarted: Handler<'listener.started'> = (draft, event) => {
  const span = spanOf(draft, event.emitId, event.listenerId, event.index);
  const listener = draft.state.graph.listeners.get(event.listenerId);
  if (listener) listener.lastActiveAt = event.ts;
  if (!span) return;

  span.startedAt = event.ts;
  span.status = 'running';
  draft.emits = true;
};

/** Records a listener's duration and closes its span; `event.error` is set only on failure. */
function finishSpan(
  draft: Draft,
  event: WireEvent<'listener.finished'> | WireEvent<'listener.failed'>,
): void {
  const failed = event.type === 'listener.failed';
  recordDuration(draft, event.listenerId, event.durationMs, failed);
  const span = spanOf(draft, event.emitId, event.listenerId, event.index);
  if (!span) return;

  span.durationMs = event.durationMs;
  span.status = failed ? 'failed' : 'ok';
  if (failed) span.error = event.error;
  span.startedAt ??= event.ts - event.durationMs;
  draft.emits = true;
}

const onListenerFinished: Handler<'listener.finished'> = finishSpan;

const onListenerFailed: Handler<'listener.failed'> = finishSpan;

const onChainFinished: Handler<'chain.finished'> = (draft, event) => {
  const emit = draft.state.emits.byId.get(event.emitId);
  if (!emit) return;

  emit.chain = {
    outcome: event.outcome,
    failedIndex: event.failedIndex,
    failedListenerId: event.failedListenerId,
    failedKey: event.failedKey,
    error: event.error,
    skipped: event.skipped,
    durationMs: event.durationMs,
  };
  for (const skipped of event.skipped) {
    const span = emit.spans[skipped.index];
    if (span && span.status === 'pending') span.status = 'skipped';
  }
  if (event.outcome === 'aborted' && event.failedIndex !== undefined) {
    const span = emit.spans[event.failedIndex];
    if (span && span.status !== 'ok' && span.status !== 'failed') span.status = 'aborted';
  }
  if (event.outcome !== 'ok') emit.status = 'failed';
  draft.emits = true;
};

// ---------------------------------------------------------------------------------------------
// Pattern handlers: breakers and sagas
// ---------------------------------------------------------------------------------------------

const zeroCounters = { calls: 0, successes: 0, failures: 0, timeouts: 0, rejections: 0 };

function ensureBreaker(draft: Draft, breakerId: number, name: string): BreakerRecord {
  const { breakers } = draft.state.patterns;
  let breaker = breakers.get(breakerId);
  if (!breaker) {
    breaker = {
      breakerId,
      name,
      state: 'closed',
      settings: undefined,
      counters: zeroCounters,
      history: [],
      recentCalls: [],
    };
    breakers.set(breakerId, breaker);
  }
  draft.patterns = true;
  return breaker;
}

function pushMarker(draft: Draft, marker: TimelineMarker): void {
  draft.state.emits.timeline.push({ kind: 'marker', seq: marker.seq, marker });
  draft.emits = true;
}

const onBreakerCreated: Handler<'breaker.created'> = (draft, event) => {
  const breaker = ensureBreaker(draft, event.breakerId, event.name);
  breaker.state = event.state;
  breaker.settings = event.settings;
  breaker.counters = event.counters;
};

const onBreakerStateChanged: Handler<'breaker.stateChanged'> = (draft, event, seq) => {
  const breaker = ensureBreaker(draft, event.breakerId, event.name);
  breaker.state = event.to;
  breaker.counters = event.counters;
  breaker.history.push({
    seq,
    ts: event.ts,
    from: event.from,
    to: event.to,
    reason: event.reason,
    counters: event.counters,
  });
  pushMarker(draft, {
    kind: 'breaker',
    seq,
    ts: event.ts,
    breakerId: event.breakerId,
    name: event.name,
    from: event.from,
    to: event.to,
    reason: event.reason,
  });
};

const onBreakerCallResult: Handler<'breaker.callResult'> = (draft, event, seq) => {
  const breaker = ensureBreaker(draft, event.breakerId, event.name);
  breaker.recentCalls.push({
    seq,
    ts: event.ts,
    outcome: event.outcome,
    state: event.state,
    durationMs: event.durationMs,
    error: event.error,
  });
  const overflow = breaker.recentCalls.length - draft.state.limits.breakerRecentCalls;
  if (overflow > 0) breaker.recentCalls.splice(0, overflow);
};

const onSagaCreated: Handler<'saga.created'> = (draft, event) => {
  const { sagas } = draft.state.patterns;
  const existing = sagas.get(event.sagaId);
  sagas.set(event.sagaId, {
    sagaId: event.sagaId,
    name: event.name,
    steps: event.steps,
    runIds: existing?.runIds ?? [],
  });
  draft.patterns = true;
};

function evictSagaRuns(draft: Draft): void {
  const { runs, sagas } = draft.state.patterns;
  const overflow = runs.size - draft.state.limits.maxSagaRuns;
  if (overflow <= 0) return;

  // Map iteration follows insertion order, so the first keys are the oldest runs.
  const oldest = [...runs.keys()].slice(0, overflow);
  for (const runId of oldest) {
    const run = runs.get(runId);
    runs.delete(runId);
    const saga = run && sagas.get(run.sagaId);
    if (saga) saga.runIds = saga.runIds.filter((id) => id !== runId);
  }
}

const onSagaRunStarted: Handler<'saga.run.started'> = (draft, event, seq) => {
  const { sagas, runs } = draft.state.patterns;
  const saga = sagas.get(event.sagaId);
  const run: SagaRunRecord = {
    runId: event.runId,
    sagaId: event.sagaId,
    name: event.name,
    startedAt: event.ts,
    data: event.data,
    status: 'executing',
    durationMs: undefined,
    error: undefined,
    steps: (saga?.steps ?? []).map((step, index) => ({
      index,
      name: step.name,
      status: 'pending',
      attempts: [],
    })),
    rollbacks: [],
  };
  runs.set(event.runId, run);
  if (saga) saga.runIds.push(event.runId);
  evictSagaRuns(draft);
  pushMarker(draft, {
    kind: 'saga',
    seq,
    ts: event.ts,
    sagaId: event.sagaId,
    runId: event.runId,
    name: event.name,
    step: '',
    phase: 'run.started',
    attempt: 0,
  });
  draft.patterns = true;
};

const onSagaStep: Handler<'saga.step'> = (draft, event, seq) => {
  const run = draft.state.patterns.runs.get(event.runId);
  if (!run) return;

  run.steps[event.index] ??= {
    index: event.index,
    name: event.step,
    status: 'pending',
    attempts: [],
  };
  const step = run.steps[event.index]!;
  const attempt = step.attempts.find((candidate) => candidate.attempt === event.attempt);

  switch (event.phase) {
    case 'started':
      step.status = 'running';
      step.attempts.push({
        attempt: event.attempt,
        startedAt: event.ts,
        outcome: 'running',
        durationMs: undefined,
        error: undefined,
        retryDelayMs: undefined,
      });
      break;
    case 'completed':
    case 'failed':
    case 'retry': {
      const target = attempt ?? {
        attempt: event.attempt,
        startedAt: event.ts - (event.durationMs ?? 0),
        outcome: 'running' as const,
        durationMs: undefined,
        error: undefined,
        retryDelayMs: undefined,
      };
      if (!attempt) step.attempts.push(target);
      target.outcome = event.phase;
      target.durationMs = event.durationMs ?? target.durationMs;
      target.error = event.error ?? target.error;
      if (event.phase === 'retry') target.retryDelayMs = event.delayMs;
      if (event.phase === 'completed') step.status = 'completed';
      if (event.phase === 'failed') step.status = 'failed';
      break;
    }
    case 'rollback.started':
      run.status = 'rolling_back';
      run.rollbacks.push({
        stepIndex: event.index,
        step: event.step,
        startedAt: event.ts,
        status: 'running',
        durationMs: undefined,
        error: undefined,
      });
      break;
    case 'rolled_back':
    case 'rollback.failed': {
      let rollback = run.rollbacks.findLast((candidate) => candidate.stepIndex === event.index);
      if (!rollback) {
        rollback = {
          stepIndex: event.index,
          step: event.step,
          startedAt: event.ts - (event.durationMs ?? 0),
          status: 'running',
          durationMs: undefined,
          error: undefined,
        };
        run.rollbacks.push(rollback);
      }
      rollback.status = event.phase === 'rolled_back' ? 'rolled_back' : 'failed';
      rollback.durationMs = event.durationMs;
      rollback.error = event.error;
      break;
    }
  }
  pushMarker(draft, {
    kind: 'saga',
    seq,
    ts: event.ts,
    sagaId: event.sagaId,
    runId: event.runId,
    name: run.name,
    step: event.step,
    phase: event.phase,
    attempt: event.attempt,
  });
  draft.patterns = true;
};

const onSagaRunFinished: Handler<'saga.run.finished'> = (draft, event, seq) => {
  const run = draft.state.patterns.runs.get(event.runId);
  if (!run) return;

  run.status = event.status;
  run.durationMs = event.durationMs;
  run.error = event.error;
  pushMarker(draft, {
    kind: 'saga',
    seq,
    ts: event.ts,
    sagaId: event.sagaId,
    runId: event.runId,
    name: event.name,
    step: '',
    phase: 'run.finished',
    attempt: 0,
  });
  draft.patterns = true;
};

// ---------------------------------------------------------------------------------------------
// Rate limiter and event store handlers
// ---------------------------------------------------------------------------------------------

/** Appends `entry` and drops the oldest entries past `limit`. */
function pushBounded<T>(list: T[], entry: T, limit: number): void {
  list.push(entry);
  const overflow = list.length - limit;
  if (overflow > 0) list.splice(0, overflow);
}

const onRateLimiterDropped: Handler<'ratelimiter.dropped'> = (draft, event, seq) => {
  const { rateLimiters } = draft.state.patterns;
  let limiter = rateLimiters.get(event.signalId);
  if (!limiter) {
    limiter = {
      signalId: event.signalId,
      name: event.name,
      dropped: 0,
      capacity: event.capacity,
      recentDrops: [],
    };
    rateLimiters.set(event.signalId, limiter);
  }
  limiter.dropped += 1;
  limiter.capacity = event.capacity;
  pushBounded(
    limiter.recentDrops,
    { seq, ts: event.ts, queued: event.queued, capacity: event.capacity, payload: event.payload },
    draft.state.limits.patternRecentEntries,
  );

  const signal = draft.state.graph.signals.get(event.signalId);
  if (signal) {
    signal.dropped += 1;
    draft.graph = true;
  }
  pushMarker(draft, {
    kind: 'ratelimiter',
    seq,
    ts: event.ts,
    signalId: event.signalId,
    name: event.name,
    queued: event.queued,
    capacity: event.capacity,
  });
  draft.patterns = true;
};

/** Finds the signal an event store emits `appended` on: the one it owns. */
function findStoreSignal(draft: Draft, storeName: string): number | undefined {
  for (const signal of draft.state.graph.signals.values()) {
    if (signal.owner?.kind === 'event-store' && signal.owner.name === storeName) {
      return signal.signalId;
    }
  }
  return undefined;
}

const onEventStoreAppended: Handler<'eventstore.appended'> = (draft, event, seq) => {
  const { eventStores } = draft.state.patterns;
  let store = eventStores.get(event.storeId);
  if (!store) {
    store = {
      storeId: event.storeId,
      name: event.name,
      appends: 0,
      version: 0,
      byType: new Map(),
      recentAppends: [],
      signalId: undefined,
      signalSearchSize: -1,
    };
    eventStores.set(event.storeId, store);
  }
  store.appends += 1;
  store.version = event.version;
  store.byType.set(event.eventType, (store.byType.get(event.eventType) ?? 0) + 1);
  pushBounded(
    store.recentAppends,
    {
      seq,
      ts: event.ts,
      version: event.version,
      eventType: event.eventType,
      payload: event.payload,
    },
    draft.state.limits.patternRecentEntries,
  );

  // The lookup scans the signals, so it runs again only once signals were added since it last
  // failed, and never after it found the store's signal.
  const signalCount = draft.state.graph.signals.size;
  if (store.signalId === undefined && store.signalSearchSize !== signalCount) {
    store.signalId = findStoreSignal(draft, event.name);
    store.signalSearchSize = store.signalId === undefined ? signalCount : -1;
  }
  const signal =
    store.signalId === undefined ? undefined : draft.state.graph.signals.get(store.signalId);
  if (signal) {
    signal.appended += 1;
    draft.graph = true;
  }
  pushMarker(draft, {
    kind: 'eventstore',
    seq,
    ts: event.ts,
    storeId: event.storeId,
    name: event.name,
    version: event.version,
    eventType: event.eventType,
  });
  draft.patterns = true;
};

const handlers: HandlerTable = {
  snapshot: onSnapshot,
  'signal.created': onSignalCreated,
  'signal.reset': onSignalReset,
  'listener.added': onListenerAdded,
  'listener.removed': onListenerRemoved,
  'emit.started': onEmitStarted,
  'emit.finished': onEmitFinished,
  'listener.started': onListenerStarted,
  'listener.finished': onListenerFinished,
  'listener.failed': onListenerFailed,
  'chain.finished': onChainFinished,
  'breaker.created': onBreakerCreated,
  'breaker.stateChanged': onBreakerStateChanged,
  'breaker.callResult': onBreakerCallResult,
  'saga.created': onSagaCreated,
  'saga.run.started': onSagaRunStarted,
  'saga.step': onSagaStep,
  'saga.run.finished': onSagaRunFinished,
  'ratelimiter.dropped': onRateLimiterDropped,
  'eventstore.appended': onEventStoreAppended,
};

function applyEvent(draft: Draft, recorded: RecordedEvent): void {
  // An event at or below the last sequence number was already ingested (a resumed backfill can
  // overlap what arrived live), so it is skipped.
  if (recorded.seq <= draft.lastSeq) return;

  const handler = handlers[recorded.event.type] as Handler<WireTraceEvent['type']> | undefined;
  handler?.(draft, recorded.event, recorded.seq);
  draft.lastSeq = recorded.seq;
}

/** Drops the oldest timeline entries once the emit or marker count passes its limit. */
function evictTimeline(draft: Draft): void {
  const { emits, limits } = draft.state;
  const cap = limits.maxEmits + limits.maxMarkers;
  // Trimming in steps of a tenth keeps the splice, which is linear, off most batches.
  const slack = Math.ceil(cap / 10);
  if (emits.timeline.length <= cap + slack && emits.byId.size <= limits.maxEmits) return;

  let remove = Math.max(emits.timeline.length - cap, emits.byId.size - limits.maxEmits, 0);
  let cut = 0;
  while (remove > 0 && cut < emits.timeline.length) {
    const entry = emits.timeline[cut]!;
    if (entry.kind === 'emit') emits.byId.delete(entry.emitId);
    cut += 1;
    remove -= 1;
  }
  emits.timeline.splice(0, cut);
  const firstKept = emits.chainIds.findIndex((id) => emits.byId.has(id));
  emits.chainIds.splice(0, firstKept === -1 ? emits.chainIds.length : firstKept);
  draft.evicted += cut;
  draft.emits = true;
}

function finish(draft: Draft): InspectorState {
  const { state } = draft;
  if (draft.emits) evictTimeline(draft);

  return {
    ...state,
    lastSeq: draft.lastSeq,
    graph: draft.graph
      ? {
          ...state.graph,
          version: state.graph.version + 1,
          structureVersion: state.graph.structureVersion + (draft.structure ? 1 : 0),
        }
      : state.graph,
    emits: draft.emits
      ? {
          ...state.emits,
          evicted: state.emits.evicted + draft.evicted,
          version: state.emits.version + 1,
        }
      : state.emits,
    patterns: draft.patterns
      ? { ...state.patterns, version: state.patterns.version + 1 }
      : state.patterns,
  };
}

function createDraft(state: InspectorState): Draft {
  return {
    state,
    graph: false,
    structure: false,
    emits: false,
    patterns: false,
    evicted: 0,
    lastSeq: state.lastSeq,
  };
}

/**
 * Applies recorded events in order. Events whose `seq` is not above the state's `lastSeq` are
 * skipped, so a backfill that overlaps live events is harmless.
 */
export function ingestEvents(state: InspectorState, events: readonly RecordedEvent[]) {
  const draft = createDraft(state);
  for (const recorded of events) applyEvent(draft, recorded);
  return finish(draft);
}

/**
 * Folds one agent message into the state and returns the next state. `ack` and `error` carry
 * command results, which the connection routes to their callers, so they change nothing here.
 */
export function ingestMessage(state: InspectorState, message: AgentMessage): InspectorState {
  switch (message.type) {
    case 'hello': {
      // Another process (a restarted app) numbers its events from scratch, so nothing recorded
      // from the previous one can be resumed.
      const previous = state.connection.app;
      const restarted =
        previous !== undefined &&
        (previous.pid !== message.app.pid || previous.startedAt !== message.app.startedAt);
      const base = restarted
        ? { ...createInspectorState(state.limits), connection: state.connection }
        : state;
      return {
        ...base,
        connection: {
          ...state.connection,
          app: message.app,
          agentVersion: message.agentVersion,
          replayAllowed: message.replayAllowed,
          recording: message.recording,
        },
      };
    }
    case 'snapshot': {
      // `lastSeq` stays: the backfill after the snapshot still carries the emits up to
      // `message.seq`, and replaying their structure events onto the snapshot is idempotent.
      const draft = createDraft(state);
      onSnapshot(draft, message.snapshot, message.seq);
      return finish(draft);
    }
    case 'events':
      return ingestEvents(state, message.events);
    case 'gap':
      return { ...state, gaps: [...state.gaps, message] };
    case 'stats':
      return {
        ...state,
        stats: message,
        connection: { ...state.connection, recording: message.recording },
      };
    case 'ack':
    case 'error':
      return state;
  }
}

/** Returns whether a captured value's preview is cut and a full value can be fetched. */
export function hasFullValue(value: CapturedValue | undefined): value is CapturedValue & {
  handle: string;
} {
  return value?.handle !== undefined;
}
