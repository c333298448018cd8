import { type AsyncSignal, createSignal } from '../signal/async-signal.js';
import type { OwnerInfo } from '../trace/events.js';
import type { ErrorHandler } from '../types.js';
import { patternSignalName } from './internal.js';

/**
 * Creates an async signal that a pattern owns, named `<pattern name>.<event>` and marked with
 * its owner so that the inspector groups it under the pattern.
 */
export function createPatternSignal<T>(
  owner: OwnerInfo,
  event: string,
  onError: ErrorHandler | undefined,
): AsyncSignal<T> {
  return createSignal<T>({
    name: patternSignalName(owner, event),
    experimental_owner: owner,
    ...(onError === undefined ? {} : { onError }),
  });
}
