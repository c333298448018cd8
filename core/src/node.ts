/// <reference types="node" />
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type CausalityTracker,
  getCausalityTracker,
  setCausalityTracker,
} from './trace/channel.js';

/**
 * Makes trace causality follow `await` in Node: an emit made anywhere inside a listener, also
 * after an `await` or in a timer the listener started, records that listener's emit as
 * `parentEmitId`. Installs a tracker built on `AsyncLocalStorage`; without it, causality
 * follows only the synchronous call stack (the default, which also works in browsers).
 *
 * @returns a function that restores the default, synchronous-stack tracker
 * @example
 * import { enableAsyncCausality } from '@sigscope/core/node';
 * const disableAsyncCausality = enableAsyncCausality();
 */
export function enableAsyncCausality(): () => void {
  const storage = new AsyncLocalStorage<number>();
  const tracker: CausalityTracker = {
    run: (emitId, fn) => storage.run(emitId, fn),
    current: () => storage.getStore(),
  };

  setCausalityTracker(tracker);

  return () => {
    // A later enableAsyncCausality call owns the tracker now; leave it in place.
    if (getCausalityTracker() === tracker) setCausalityTracker(undefined);
  };
}
