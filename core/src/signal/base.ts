import {
  nextTraceId,
  publish,
  registerTraceable,
  reportErrorGlobal,
  traceNow,
  tracingEnabled,
} from '../trace/channel.js';
import type { ListenerInfo, OwnerInfo, SignalInfo } from '../trace/events.js';
import type { ErrorHandler, Listener, SignalKind, SignalOptions } from '../types.js';
import { checkKey, checkListener, checkOptions } from './arguments.js';
import type { CompiledChain } from './compiled-emit.js';
import { captureCallerLocation } from './location.js';

/** A registered listener's identity, kept beside the function itself. */
export interface ListenerEntry {
  readonly listenerId: number;
  readonly key: string | undefined;
  readonly functionName: string;
  readonly location: string | undefined;
}

/** Reports a listener failure through `reportError`, else `console.error`: the default `onError`. */
export const defaultErrorHandler: ErrorHandler = (error, info) => {
  if (typeof reportErrorGlobal === 'function') {
    reportErrorGlobal(error);
    return;
  }

  const key = info.key === undefined ? '' : ` (key "${info.key}")`;
  console.error(`sigscope: listener ${info.index}${key} of "${info.signal}" failed`, error);
};

/**
 * The listener list shared by async and sync signals.
 *
 * Emits iterate the arrays `listeners` and `entries` as they were when the emit started. An
 * emit marks the arrays `shared` with one store and never unmarks them, so the first add or
 * remove after an emit copies both arrays and every emit keeps its snapshot. Adds with no emit
 * in between are plain pushes: amortised O(1). Each copy follows an emit that iterated the same
 * arrays, unless an abort cut that emit short, so copying adds a constant factor to emits.
 */
export abstract class SignalBase<T> {
  readonly traceKind = 'signal' as const;
  abstract readonly kind: SignalKind;

  /** Returns the class name error messages start with, as a literal that minifiers keep. */
  protected get typeName(): string {
    return this.kind === 'async' ? 'AsyncSignal' : 'SyncSignal';
  }

  /** @internal Listener functions in registration order. */
  listeners: Listener<T>[] = [];
  /** @internal Identity of each listener, index for index with `listeners`. */
  entries: ListenerEntry[] = [];
  /**
   * @internal Whether an emit has iterated the current arrays since they last changed. The next
   * add or remove copies them first.
   */
  shared = false;
  /**
   * @internal Emits since the listener set last changed. Sync signals count up to the compile
   * threshold and stop there, whether or not the compile succeeded.
   */
  stableEmits = 0;
  /**
   * @internal The generated `emit` for the current listener set, if compiled. Set only while
   * compiled emits are on and no trace subscriber is attached; either change removes it.
   */
  compiledEmit: CompiledChain<T> | undefined = undefined;
  /** @internal The generated `tryEmit` for the current listener set, if compiled. */
  compiledTryEmit: CompiledChain<T> | undefined = undefined;

  readonly #keyed = new Map<string, ListenerEntry>();
  readonly #name: string;
  readonly #onError: ErrorHandler;

  /** @internal The signal's trace id, unique in the process. */
  readonly signalId: number;
  /** @internal The pattern instance that owns this signal, if any. */
  readonly owner: OwnerInfo | undefined;

  constructor(options: SignalOptions | undefined, factory: string) {
    const checked = checkOptions(options, factory);

    this.signalId = nextTraceId();
    this.#name = checked.name ?? `signal#${this.signalId}`;
    this.#onError = checked.onError ?? defaultErrorHandler;
    this.owner = checked.experimental_owner;

    registerTraceable(this.signalId, this);
  }

  /** @internal Publishes `signal.created`; subclasses call it once their `kind` is set. */
  protected announce(): void {
    if (!tracingEnabled) return;

    publish({
      type: 'signal.created',
      ts: traceNow(),
      signalId: this.signalId,
      name: this.#name,
      kind: this.kind,
      owner: this.owner,
    });
  }

  /** The name traces, the inspector and error reports show. */
  get name(): string {
    return this.#name;
  }

  /**
   * Adds `listener` after the existing ones. With a `key`, the listener can later be removed
   * with {@link removeListener}; a key that is already registered adds nothing.
   * Go's `AddListener` and `AddListenerWithErr` both map here: a listener fails by throwing or
   * by returning a promise that rejects.
   *
   * @returns the listener count after adding, or `-1` when `key` is already registered
   * @throws {TypeError} when `listener` is not a function or `key` is not a non-empty string
   * @example
   * const count = signal.addListener((order) => console.log(order.id), 'audit');
   */
  addListener(listener: Listener<T>, key?: string): number {
    checkListener(listener, `${this.typeName}.addListener`);
    if (key !== undefined) {
      checkKey(key, `${this.typeName}.addListener`, true);
      if (this.#keyed.has(key)) return -1;
    }

    const tracing = tracingEnabled;
    const entry: ListenerEntry = {
      listenerId: nextTraceId(),
      key,
      functionName: listener.name || 'anonymous',
      location: tracing ? captureCallerLocation() : undefined,
    };

    this.#detachFromEmits();
    this.dropCompiled();
    this.listeners.push(listener);
    this.entries.push(entry);
    if (key !== undefined) this.#keyed.set(key, entry);

    const count = this.listeners.length;
    if (tracing) {
      publish({
        type: 'listener.added',
        ts: traceNow(),
        signalId: this.signalId,
        index: count - 1,
        ...entry,
      });
    }

    return count;
  }

  /**
   * Removes the listener added under `key`. The others keep their order (Go's original
   * swap-removes, which reorders a sync chain; this does not).
   *
   * @returns the listener count after removal, or `-1` when no listener has `key`
   * @throws {TypeError} when `key` is not a non-empty string
   */
  removeListener(key: string): number {
    checkKey(key, `${this.typeName}.removeListener`, false);

    const entry = this.#keyed.get(key);
    if (entry === undefined) return -1;

    const index = this.entries.indexOf(entry);
    this.#detachFromEmits();
    this.dropCompiled();
    this.listeners.splice(index, 1);
    this.entries.splice(index, 1);
    this.#keyed.delete(key);

    if (tracingEnabled) {
      publish({
        type: 'listener.removed',
        ts: traceNow(),
        signalId: this.signalId,
        listenerId: entry.listenerId,
        key,
      });
    }

    return this.listeners.length;
  }

  /** Removes every listener. An emit already running still runs the listeners it started with. */
  reset(): void {
    const removed = this.listeners.length;

    this.listeners = [];
    this.entries = [];
    this.shared = false;
    this.dropCompiled();
    this.#keyed.clear();

    if (tracingEnabled) {
      publish({ type: 'signal.reset', ts: traceNow(), signalId: this.signalId, removed });
    }
  }

  /** Returns the number of listeners. */
  len(): number {
    return this.listeners.length;
  }

  /** Returns whether the signal has no listeners. */
  isEmpty(): boolean {
    return this.listeners.length === 0;
  }

  /** @internal Describes the signal for trace snapshots. */
  describeForTrace(): SignalInfo {
    const listeners: ListenerInfo[] = this.entries.map((entry) => ({ ...entry }));
    return {
      signalId: this.signalId,
      name: this.#name,
      kind: this.kind,
      owner: this.owner,
      listeners,
    };
  }

  /** @internal Marks the current arrays shared and returns them, for an emit to iterate. */
  shareListeners(): { listeners: Listener<T>[]; entries: ListenerEntry[] } {
    this.shared = true;
    return { listeners: this.listeners, entries: this.entries };
  }

  /** @internal Passes a listener failure that no caller awaits to `onError`. Never throws. */
  reportListenerError(error: unknown, index: number, entries: readonly ListenerEntry[]): void {
    const info = { signal: this.#name, key: entries[index]?.key, index };
    try {
      this.#onError(error, info);
    } catch (handlerError) {
      // An onError that throws must not break the emit; its own error goes to the default.
      try {
        defaultErrorHandler(handlerError, info);
      } catch {
        // Nothing is left to report to.
      }
    }
  }

  /**
   * @internal Removes the compiled emit and starts the count towards the next compile again.
   * A compiled emit calls the listeners it was generated for, so any change of the set drops
   * it. Turning compiled emits off and the first trace subscriber drop it too, because
   * compiled emits check neither.
   */
  dropCompiled(): void {
    this.stableEmits = 0;
    if (this.compiledEmit === undefined) return;

    this.compiledEmit = undefined;
    this.compiledTryEmit = undefined;
    this.uninstallCompiled();
  }

  /** @internal Removes compiled methods a subclass installed on the instance; none here. */
  protected uninstallCompiled(): void {}

  #detachFromEmits(): void {
    if (!this.shared) return;

    this.listeners = this.listeners.slice();
    this.entries = this.entries.slice();
    this.shared = false;
  }
}
