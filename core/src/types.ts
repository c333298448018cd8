import type { OwnerInfo } from './trace/events.js';

/**
 * The context passed to every listener: Go's `context.Context` in TypeScript form. `signal`
 * cancels the emit; any other property is a value the caller put on it (a trace id, a user).
 */
export interface Context {
  readonly signal?: AbortSignal;
  readonly [key: string]: unknown;
}

/**
 * A listener receives the payload and the emit's context. It fails by throwing or by returning
 * a promise that rejects.
 */
export type Listener<T> = (payload: T, ctx: Context) => void | Promise<void>;

/** Where failures of listeners that nobody awaits go. */
export type ErrorHandler = (error: unknown, info: ListenerErrorInfo) => void;

/** Identifies the listener whose failure reached an {@link ErrorHandler}. */
export interface ListenerErrorInfo {
  /** The signal's name, or its generated one. */
  readonly signal: string;
  /** The listener's key, when it was added with one. */
  readonly key: string | undefined;
  /** The listener's position in registration order at the time of the emit. */
  readonly index: number;
}

/** Computes the next listener capacity from the current one, as Go's `GrowthFunc` does. */
export type GrowthFunction = (currentCapacity: number) => number;

/** Options shared by {@link createSignal} and {@link createSyncSignal}. */
export interface SignalOptions {
  /** Name the inspector and error reports show. @default a generated `signal#<id>` */
  readonly name?: string;
  /**
   * Expected listener count. Accepted for parity with Go's `SignalOptions`; JavaScript arrays
   * grow without measurable cost, so it changes nothing.
   * @default 0
   */
  readonly initialCapacity?: number;
  /**
   * Go's `GrowthFunc`. Accepted for parity; JavaScript arrays manage their own capacity, so it
   * changes nothing.
   */
  readonly growth?: GrowthFunction;
  /**
   * Receives failures of listeners that no caller awaits: every failure of `emit`, both async
   * and sync. `tryEmit` rejects instead.
   * @default reports through `globalThis.reportError` when present, else `console.error`
   */
  readonly onError?: ErrorHandler;
  /**
   * Marks the signal as part of a pattern instance (a breaker's `stateChanged`, a saga's step
   * signals) so that traces and the inspector group it under its owner. Unstable: patterns in
   * core set it, and its shape may change.
   * @default undefined
   */
  readonly experimental_owner?: OwnerInfo;
}

/** The kind of a signal, as traces and the inspector show it. */
export type SignalKind = 'async' | 'sync';

/** The call that started an emit: `emit` on an async or a sync signal, or `tryEmit`. */
export type EmitMode = 'async' | 'sync' | 'try';
