import type { BreakerInfo, SagaInfo, SignalInfo, SnapshotEvent, TraceEvent } from './events.js';

/** Receives every trace event, synchronously, on the thread that caused it. */
export type TraceSubscriber = (event: TraceEvent) => void;

/** Options for {@link traceChannel}.subscribe. */
export interface TraceSubscribeOptions {
  /**
   * Receives the first error the subscriber throws. Later errors are only counted, in
   * `traceChannel.subscriberErrors`. The subscriber stays subscribed either way.
   * @default reports through `globalThis.reportError` when present, else `console.error`
   */
  readonly onError?: (error: unknown, event: TraceEvent) => void;
}

interface SubscriberEntry {
  readonly subscriber: TraceSubscriber;
  readonly onError: ((error: unknown, event: TraceEvent) => void) | undefined;
  reported: boolean;
}

/** Something the registry lists in snapshots: a signal, a breaker or a saga. */
export type Traceable =
  | {
      readonly traceKind: 'signal';
      describeForTrace(): SignalInfo;
      /** Removes the signal's compiled emit, so that its next emit runs the prototype method. */
      dropCompiled(): void;
    }
  | { readonly traceKind: 'breaker'; describeForTrace(): BreakerInfo }
  | { readonly traceKind: 'saga'; describeForTrace(): SagaInfo };

/**
 * Tracks which emit is running so that an emit made inside a listener can name its parent.
 * The default follows the synchronous call stack; `@sigscope/core/node` installs one built on
 * AsyncLocalStorage that also follows `await`.
 */
export interface CausalityTracker {
  /** Runs `fn` with `emitId` as the current emit and returns what `fn` returns. */
  run<R>(emitId: number, fn: () => R): R;
  /** The current emit id, or `undefined` outside any listener. */
  current(): number | undefined;
}

let subscribers: readonly SubscriberEntry[] = [];
let subscriberErrorCount = 0;

/**
 * True while at least one subscriber is attached. The prototype emit methods read this binding
 * once and take the untraced branch when it is false. Compiled emits never read it: the first
 * subscriber removes them from every live signal, and none compiles while it is true.
 */
export let tracingEnabled = false;

const syncStack: number[] = [];

const syncCausalityTracker: CausalityTracker = {
  run(emitId, fn) {
    syncStack.push(emitId);
    try {
      return fn();
    } finally {
      syncStack.pop();
    }
  },
  current() {
    return syncStack[syncStack.length - 1];
  },
};

let causalityTracker: CausalityTracker = syncCausalityTracker;

/** Replaces the causality tracker; `undefined` restores the synchronous-stack default. */
export function setCausalityTracker(tracker: CausalityTracker | undefined): void {
  causalityTracker = tracker ?? syncCausalityTracker;
}

export function getCausalityTracker(): CausalityTracker {
  return causalityTracker;
}

let nextId = 1;

/** Returns a process-wide unique id for signals, listeners, emits, breakers, sagas and runs. */
export function nextTraceId(): number {
  return nextId++;
}

/** Milliseconds since the Unix epoch, with sub-millisecond precision. */
export function traceNow(): number {
  return performance.timeOrigin + performance.now();
}

// The registry holds every traceable object weakly, so it never keeps one alive.
const registry = new Map<number, WeakRef<Traceable>>();
const cleanup = new FinalizationRegistry<number>((id) => {
  registry.delete(id);
});

/** Adds a signal, breaker or saga to the registry under its trace id. */
export function registerTraceable(id: number, traceable: Traceable): void {
  registry.set(id, new WeakRef(traceable));
  cleanup.register(traceable, id);
}

/** Returns the live object registered under `id`, or `undefined` once it was collected. */
export function lookupTraceable(id: number): Traceable | undefined {
  return registry.get(id)?.deref();
}

/**
 * @internal Removes the compiled emit of every live signal. Runs in O(registered objects), at
 * the first subscribe and when compiled emits are turned off.
 */
export function dropAllCompiledEmits(): void {
  for (const ref of registry.values()) {
    const traceable = ref.deref();
    if (traceable !== undefined && traceable.traceKind === 'signal') traceable.dropCompiled();
  }
}

function buildSnapshot(): SnapshotEvent {
  const signals: SignalInfo[] = [];
  const breakers: BreakerInfo[] = [];
  const sagas: SagaInfo[] = [];

  for (const ref of registry.values()) {
    const traceable = ref.deref();
    if (traceable === undefined) continue;

    if (traceable.traceKind === 'signal') signals.push(traceable.describeForTrace());
    else if (traceable.traceKind === 'breaker') breakers.push(traceable.describeForTrace());
    else sagas.push(traceable.describeForTrace());
  }

  return { type: 'snapshot', ts: traceNow(), signals, breakers, sagas };
}

/** The global `reportError`, which exists in browsers and Deno but not in Node 20. */
export const reportErrorGlobal = (globalThis as { reportError?: (error: unknown) => void })
  .reportError;

function reportSubscriberError(entry: SubscriberEntry, error: unknown, event: TraceEvent): void {
  subscriberErrorCount++;
  if (entry.reported) return;

  entry.reported = true;
  try {
    if (entry.onError !== undefined) {
      entry.onError(error, event);
    } else if (typeof reportErrorGlobal === 'function') {
      reportErrorGlobal(error);
    } else {
      console.error('sigscope: a trace subscriber threw; later errors are only counted', error);
    }
  } catch {
    // An error handler that throws must not reach the emit that published the event.
  }
}

function deliver(entry: SubscriberEntry, event: TraceEvent): void {
  try {
    entry.subscriber(event);
  } catch (error) {
    reportSubscriberError(entry, error, event);
  }
}

/**
 * Publishes a trace event to every subscriber. Callers check {@link tracingEnabled} first so
 * that they build no event while nobody listens. Never throws.
 */
export function publish(event: TraceEvent): void {
  const current = subscribers;
  for (let i = 0; i < current.length; i++) deliver(current[i]!, event);
}

/**
 * The tracing hook, named after Node's `diagnostics_channel`: subscribe to receive a snapshot of
 * every live signal, listener, breaker and saga, then every change and emit as it happens.
 *
 * @example
 * traceChannel.subscribe((event) => {
 *   if (event.type === 'listener.failed') console.log(event.signalId, event.error);
 * });
 */
export const traceChannel = {
  /**
   * Attaches `subscriber`. It first receives a `snapshot` event, synchronously, then every
   * event after it. Subscribing the same function twice has no effect.
   * @throws {TypeError} when `subscriber` or `options.onError` is not a function, or `options`
   *   is not an object
   */
  subscribe(subscriber: TraceSubscriber, options: TraceSubscribeOptions = {}): void {
    if (typeof subscriber !== 'function') {
      throw new TypeError(
        `traceChannel.subscribe: "subscriber" must be a function, received ${describeValue(subscriber)}`,
      );
    }
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(
        `traceChannel.subscribe: "options" must be an object or omitted, received ${describeValue(options)}`,
      );
    }
    if (options.onError !== undefined && typeof options.onError !== 'function') {
      throw new TypeError(
        `traceChannel.subscribe: "options.onError" must be a function or omitted, received ${describeValue(options.onError)}`,
      );
    }
    if (subscribers.some((entry) => entry.subscriber === subscriber)) return;

    const entry: SubscriberEntry = { subscriber, onError: options.onError, reported: false };
    deliver(entry, buildSnapshot());
    subscribers = [...subscribers, entry];
    if (tracingEnabled) return;

    // Set before the walk, so that no signal compiles again after it was dropped.
    tracingEnabled = true;
    dropAllCompiledEmits();
  },

  /** Detaches `subscriber`. Returns whether it was attached. */
  unsubscribe(subscriber: TraceSubscriber): boolean {
    const remaining = subscribers.filter((entry) => entry.subscriber !== subscriber);
    if (remaining.length === subscribers.length) return false;

    subscribers = remaining;
    tracingEnabled = remaining.length > 0;
    return true;
  },

  /** Whether any subscriber is attached. */
  get hasSubscribers(): boolean {
    return tracingEnabled;
  },

  /** How many times subscribers have thrown since the process started. */
  get subscriberErrors(): number {
    return subscriberErrorCount;
  },
};

/** Describes a value for an error message without calling into it. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value} ${String(value)}`;
}
