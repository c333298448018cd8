import type { Context, Listener } from '../types.js';
import { isThenable, RESOLVED } from './arguments.js';
import type { ListenerEntry, SignalBase } from './base.js';
import type { TracedEmit } from './chain.js';
import { EmitTrace } from './emit-trace.js';

function ignore(): void {}

/**
 * Starts every listener of an async signal, one after another in the same task, then waits for
 * those that returned a thenable. Failures go to `onError`; the promise never rejects.
 */
export function runConcurrently<T>(
  signal: SignalBase<T>,
  listeners: Listener<T>[],
  entries: readonly ListenerEntry[],
  payload: T,
  ctx: Context,
): Promise<void> | undefined {
  let pending: Promise<void>[] | undefined;

  for (let index = 0; index < listeners.length; index++) {
    let value: unknown;
    try {
      value = listeners[index]!(payload, ctx);
    } catch (error) {
      signal.reportListenerError(error, index, entries);
      continue;
    }

    if (value !== undefined && isThenable(value)) {
      const settled = Promise.resolve(value).then(ignore, (error: unknown) =>
        signal.reportListenerError(error, index, entries),
      );
      if (pending === undefined) pending = [];
      pending.push(settled);
    }
  }

  return pending === undefined ? undefined : Promise.all(pending).then(ignore);
}

/** Emits on an async signal while tracing: the same steps as the untraced `emit`, plus events. */
export function emitConcurrentTraced<T>(
  signal: SignalBase<T>,
  payload: T,
  ctx: Context,
  replayOf: number | undefined,
): TracedEmit {
  const { listeners, entries } = signal.shareListeners();
  const trace = new EmitTrace(signal as SignalBase<unknown>, entries, 'async', payload, replayOf);

  const promise = RESOLVED.then(() => {
    let pending: Promise<void>[] | undefined;

    for (let index = 0; index < listeners.length; index++) {
      let value: unknown;
      try {
        value = trace.call(listeners[index]!, index, payload, ctx);
      } catch (error) {
        trace.listenerFailed(index, error);
        signal.reportListenerError(error, index, entries);
        continue;
      }

      if (!isThenable(value)) {
        trace.listenerFinished(index);
        continue;
      }

      const settled = Promise.resolve(value).then(
        () => trace.listenerFinished(index),
        (error: unknown) => {
          trace.listenerFailed(index, error);
          signal.reportListenerError(error, index, entries);
        },
      );
      if (pending === undefined) pending = [];
      pending.push(settled);
    }

    if (pending === undefined) {
      trace.emitFinished();
      return;
    }
    return Promise.all(pending).then(() => trace.emitFinished());
  });

  return { emitId: trace.emitId, promise };
}
