import type { Context, Listener } from '../types.js';
import { isThenable, RESOLVED } from './arguments.js';
import type { ListenerEntry, SignalBase } from './base.js';
import { EmitTrace } from './emit-trace.js';

/** The rejection value of the abort race, distinguished from any listener error by identity. */
const ABORTED: unique symbol = Symbol('aborted');

function ignore(): void {}

/** A traced emit's id with the promise the emit method returns. */
export interface TracedEmit {
  readonly emitId: number;
  readonly promise: Promise<void>;
}

/**
 * Continues a sync signal's chain once listener `index` returned the thenable `pending`: awaits
 * it, then runs the next listeners in order, awaiting only those that return a thenable.
 *
 * With `stopOnFailure` (tryEmit), the returned promise rejects with the first listener error or
 * the abort reason. Without it (emit), failures go to `onError` and the promise resolves.
 * An abort while a listener is pending settles at once and skips the rest; the abandoned
 * listener's later rejection still goes to `onError`. The abort listener this adds to
 * `ctx.signal` is removed when the chain ends.
 */
export async function continueChain<T>(
  signal: SignalBase<T>,
  listeners: Listener<T>[],
  entries: readonly ListenerEntry[],
  index: number,
  pending: PromiseLike<unknown>,
  payload: T,
  ctx: Context,
  stopOnFailure: boolean,
  trace: EmitTrace | undefined,
): Promise<void> {
  const abortSignal = ctx.signal;
  // Only tryEmit ends with `chain.finished`.
  const chainTrace = stopOnFailure ? trace : undefined;
  let onAbort: (() => void) | undefined;
  let aborted: Promise<never> | undefined;

  if (abortSignal !== undefined) {
    aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(ABORTED);
    });
    // The race below handles the rejection; this keeps an abort between races from counting
    // as an unhandled rejection.
    aborted.catch(ignore);
    abortSignal.addEventListener('abort', onAbort!, { once: true });
    // The pending listener may have aborted the signal itself before this listener was added.
    if (abortSignal.aborted) onAbort!();
  }

  let current = index;
  let result = pending;

  try {
    for (;;) {
      try {
        await (aborted === undefined ? result : Promise.race([result, aborted]));
        trace?.listenerFinished(current);
      } catch (error) {
        if (error === ABORTED) {
          watchAbandoned(signal, entries, current, result, trace);
          chainTrace?.chainFinished('aborted', current, current + 1, abortSignal!.reason);
          if (stopOnFailure) throw abortSignal!.reason;
          return;
        }

        trace?.listenerFailed(current, error);
        if (stopOnFailure) {
          chainTrace?.chainFinished('failed', current, current + 1, error);
          throw error;
        }
        signal.reportListenerError(error, current, entries);
      }

      // Run the next listeners synchronously until one returns a thenable.
      let next: PromiseLike<unknown> | undefined;
      for (current++; current < listeners.length; current++) {
        if (abortSignal?.aborted) {
          chainTrace?.chainFinished('aborted', undefined, current, abortSignal.reason);
          if (stopOnFailure) throw abortSignal.reason;
          return;
        }

        let value: unknown;
        try {
          value =
            trace === undefined
              ? listeners[current]!(payload, ctx)
              : trace.call(listeners[current]!, current, payload, ctx);
        } catch (error) {
          trace?.listenerFailed(current, error);
          if (stopOnFailure) {
            chainTrace?.chainFinished('failed', current, current + 1, error);
            throw error;
          }
          signal.reportListenerError(error, current, entries);
          continue;
        }

        if (isThenable(value)) {
          next = value;
          break;
        }
        trace?.listenerFinished(current);
      }

      if (next === undefined) {
        chainTrace?.chainFinished('ok', undefined, listeners.length, undefined);
        return;
      }
      result = next;
    }
  } finally {
    if (onAbort !== undefined) abortSignal!.removeEventListener('abort', onAbort);
    trace?.emitFinished();
  }
}

// A listener left pending by an abort may still fail. No caller awaits it, so report it.
function watchAbandoned<T>(
  signal: SignalBase<T>,
  entries: readonly ListenerEntry[],
  index: number,
  result: PromiseLike<unknown>,
  trace: EmitTrace | undefined,
): void {
  Promise.resolve(result).then(
    () => trace?.listenerFinished(index),
    (error: unknown) => {
      trace?.listenerFailed(index, error);
      signal.reportListenerError(error, index, entries);
    },
  );
}

/**
 * Runs a sync signal's chain while tracing: the same steps as the untraced `emit` and
 * `tryEmit`, plus trace events. Still fully synchronous when every listener is.
 */
export function emitChainTraced<T>(
  signal: SignalBase<T>,
  payload: T,
  ctx: Context,
  stopOnFailure: boolean,
  replayOf: number | undefined,
): TracedEmit {
  // Shared before `emit.started` goes out, so a subscriber that adds a listener cannot change
  // the snapshot.
  const { listeners, entries } = signal.shareListeners();
  const mode = stopOnFailure ? 'try' : 'sync';
  const trace = new EmitTrace(signal as SignalBase<unknown>, entries, mode, payload, replayOf);
  const emitId = trace.emitId;
  const abortSignal = ctx.signal;

  // An aborted tryEmit rejects even when there is no listener to skip.
  if (stopOnFailure && listeners.length === 0 && abortSignal?.aborted) {
    trace.chainFinished('aborted', undefined, 0, abortSignal.reason);
    trace.emitFinished();
    return { emitId, promise: Promise.reject(abortSignal.reason) };
  }

  for (let index = 0; index < listeners.length; index++) {
    if (abortSignal?.aborted) {
      if (stopOnFailure) trace.chainFinished('aborted', undefined, index, abortSignal.reason);
      trace.emitFinished();
      return { emitId, promise: stopOnFailure ? Promise.reject(abortSignal.reason) : RESOLVED };
    }

    let value: unknown;
    try {
      value = trace.call(listeners[index]!, index, payload, ctx);
    } catch (error) {
      trace.listenerFailed(index, error);
      if (stopOnFailure) {
        trace.chainFinished('failed', index, index + 1, error);
        trace.emitFinished();
        return { emitId, promise: Promise.reject(error) };
      }
      signal.reportListenerError(error, index, entries);
      continue;
    }

    if (isThenable(value)) {
      const promise = continueChain(
        signal,
        listeners,
        entries,
        index,
        value,
        payload,
        ctx,
        stopOnFailure,
        trace,
      );
      return { emitId, promise };
    }
    trace.listenerFinished(index);
  }

  if (stopOnFailure) trace.chainFinished('ok', undefined, listeners.length, undefined);
  trace.emitFinished();
  return { emitId, promise: RESOLVED };
}

/**
 * Runs a sync signal's chain from listener `start` without tracing, as `emit` does: failures
 * go to `onError`, an abort of `ctx.signal` stops before the next listener, and the first
 * thenable hands the rest to {@link continueChain}. The promise never rejects.
 */
export function runChainFrom<T>(
  signal: SignalBase<T>,
  listeners: Listener<T>[],
  entries: readonly ListenerEntry[],
  start: number,
  payload: T,
  ctx: Context,
): Promise<void> {
  const abortSignal = ctx.signal;

  for (let index = start; index < listeners.length; index++) {
    if (abortSignal?.aborted) break;

    let value: unknown;
    try {
      value = listeners[index]!(payload, ctx);
    } catch (error) {
      signal.reportListenerError(error, index, entries);
      continue;
    }

    if (value !== undefined && isThenable(value)) {
      return continueChain(
        signal,
        listeners,
        entries,
        index,
        value,
        payload,
        ctx,
        false,
        undefined,
      );
    }
  }

  return RESOLVED;
}
