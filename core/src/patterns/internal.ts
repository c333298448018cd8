import { describeValue } from '../trace/channel.js';
import type { OwnerInfo } from '../trace/events.js';
import type { Context } from '../types.js';

/** Checks that `value` is an integer of at least `min`; the message names the option and the fix. */
export function checkInteger(
  where: string,
  option: string,
  value: unknown,
  min: number,
  fix: string,
): number {
  if (typeof value !== 'number') {
    throw new TypeError(
      `${where}: "${option}" must be a number, received ${describeValue(value)}. ${fix}`,
    );
  }
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(
      `${where}: "${option}" must be an integer >= ${min}, received ${describeValue(value)}. ${fix}`,
    );
  }
  return value;
}

/** Checks that `value` is a finite number of at least `min` (or above it when `exclusive`). */
export function checkFinite(
  where: string,
  option: string,
  value: unknown,
  min: number,
  fix: string,
  exclusive = false,
): number {
  if (typeof value !== 'number') {
    throw new TypeError(
      `${where}: "${option}" must be a number, received ${describeValue(value)}. ${fix}`,
    );
  }
  const tooSmall = exclusive ? value <= min : value < min;
  if (!Number.isFinite(value) || tooSmall) {
    const bound = exclusive ? `> ${min}` : `>= ${min}`;
    throw new RangeError(
      `${where}: "${option}" must be a finite number ${bound}, received ${describeValue(value)}. ${fix}`,
    );
  }
  return value;
}

/** Checks that `value` is a non-empty string. */
export function checkName(where: string, option: string, value: unknown, fix: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(
      `${where}: "${option}" must be a non-empty string, received ${describeValue(value)}. ${fix}`,
    );
  }
  return value;
}

/**
 * Copies the caller's context values without its AbortSignal. Patterns pass this to their own
 * signals, so a cancelled call still reports its result to the listeners.
 */
export function withoutAbortSignal(ctx: Context): Context {
  if (ctx.signal === undefined) return ctx;

  const { signal: _signal, ...values } = ctx;
  return values;
}

/** Builds a pattern signal's name, such as `payments.stateChanged`. */
export function patternSignalName(owner: OwnerInfo, event: string): string {
  return `${owner.name}.${event}`;
}

/** Milliseconds since an arbitrary origin, with sub-millisecond precision; fake timers control it. */
export function nowMs(): number {
  return performance.now();
}

/**
 * One guarded piece of work: an AbortSignal that aborts when the parent signal aborts or when
 * `timeoutMs` passes, whichever comes first.
 */
export class GuardedAttempt {
  readonly #controller = new AbortController();
  readonly #parent: AbortSignal | undefined;
  readonly #onParentAbort = (): void => {
    this.#controller.abort(this.#parent?.reason);
  };
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timedOut = false;

  constructor(
    parent: AbortSignal | undefined,
    timeoutMs: number | undefined,
    timeoutMessage: string,
  ) {
    this.#parent = parent;
    if (parent !== undefined) {
      if (parent.aborted) this.#controller.abort(parent.reason);
      else parent.addEventListener('abort', this.#onParentAbort, { once: true });
    }

    if (timeoutMs !== undefined && !this.#controller.signal.aborted) {
      this.#timer = setTimeout(() => {
        this.#timedOut = true;
        this.#controller.abort(new DOMException(timeoutMessage, 'TimeoutError'));
      }, timeoutMs);
    }
  }

  /** Aborts on parent abort or timeout; hand it to the work through its context. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** True when the timeout, not the parent, aborted the attempt. */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /**
   * Settles like `work`, or rejects with the abort reason as soon as {@link signal} aborts,
   * without waiting for work that ignores the signal. A later rejection of `work` is handled.
   */
  race<R>(work: Promise<R>): Promise<R> {
    const signal = this.#controller.signal;
    if (signal.aborted) {
      work.catch(ignoreLateRejection);
      return Promise.reject(signal.reason);
    }

    return new Promise<R>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  /** Clears the timer and detaches from the parent signal. */
  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#parent?.removeEventListener('abort', this.#onParentAbort);
  }
}

function ignoreLateRejection(): void {
  // The attempt already settled with its abort reason, and no caller awaits the work any more.
}

/** Calls `fn` and turns a synchronous throw into a rejected promise. */
export function invoke<R>(fn: () => R | Promise<R>): Promise<R> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Resolves after `ms`, or rejects with the abort reason when `signal` aborts first. */
export function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);

  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Describes an error for a message: `name: message` for errors, else {@link describeValue}. */
export function describeError(error: unknown): string {
  if (error instanceof Error || error instanceof DOMException) {
    return `${error.name}: ${error.message}`;
  }
  return describeValue(error);
}
