import { describeValue } from '../trace/channel.js';
import type { Context, SignalOptions } from '../types.js';

/** The context listeners receive when the emitter passes none. Shared and frozen. */
export const EMPTY_CONTEXT: Context = Object.freeze({});

/** A settled promise that emits return when nothing asynchronous is left to wait for. */
export const RESOLVED: Promise<void> = Promise.resolve();

/**
 * Returns the caller's `ctx`, or {@link EMPTY_CONTEXT} when it is `undefined`. Signals and patterns
 * both call it before any work, because they listen to `ctx.signal`.
 */
export function checkContext(ctx: unknown, method: string): Context {
  if (ctx === undefined) return EMPTY_CONTEXT;

  if (typeof ctx !== 'object' || ctx === null) {
    throw new TypeError(
      `${method}: "ctx" must be an object such as { signal: AbortSignal }, received ${describeValue(ctx)}. Omit it or pass an object.`,
    );
  }

  const signal: unknown = (ctx as Context).signal;
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw new TypeError(
      `${method}: "ctx.signal" must be an AbortSignal or undefined, received ${describeValue(signal)}. Pass an AbortController's signal, or omit it.`,
    );
  }

  return ctx as Context;
}

// Duck-typed so that an AbortSignal from another realm (an iframe, jsdom) passes.
export function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function' &&
    typeof (value as AbortSignal).removeEventListener === 'function'
  );
}

/**
 * Throws a TypeError unless `key` is a non-empty string. `optional` says whether the method
 * also accepts an omitted key, so that the message does not offer what the method rejects.
 */
export function checkKey(key: unknown, method: string, optional: boolean): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) {
    const expected = optional ? 'a non-empty string or omitted' : 'a non-empty string';
    throw new TypeError(`${method}: "key" must be ${expected}, received ${describeValue(key)}`);
  }
}

/** Throws a TypeError unless `listener` is a function. */
export function checkListener(listener: unknown, method: string): void {
  if (typeof listener !== 'function') {
    throw new TypeError(
      `${method}: "listener" must be a function, received ${describeValue(listener)}`,
    );
  }
}

/** Throws a TypeError naming the first option that has the wrong type. */
export function checkOptions(options: SignalOptions | undefined, factory: string): SignalOptions {
  if (options === undefined) return {};

  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `${factory}: "options" must be an object or omitted, received ${describeValue(options)}`,
    );
  }

  const { name, initialCapacity, growth, onError, experimental_owner: owner } = options;

  if (name !== undefined && (typeof name !== 'string' || name.length === 0)) {
    throw new TypeError(
      `${factory}: "options.name" must be a non-empty string or omitted, received ${describeValue(name)}`,
    );
  }

  if (
    initialCapacity !== undefined &&
    (typeof initialCapacity !== 'number' ||
      !Number.isInteger(initialCapacity) ||
      initialCapacity < 0)
  ) {
    throw new TypeError(
      `${factory}: "options.initialCapacity" must be an integer >= 0 or omitted, received ${describeValue(initialCapacity)}`,
    );
  }

  if (growth !== undefined && typeof growth !== 'function') {
    throw new TypeError(
      `${factory}: "options.growth" must be a function or omitted, received ${describeValue(growth)}`,
    );
  }

  if (onError !== undefined && typeof onError !== 'function') {
    throw new TypeError(
      `${factory}: "options.onError" must be a function or omitted, received ${describeValue(onError)}`,
    );
  }

  if (
    owner !== undefined &&
    (typeof owner !== 'object' ||
      owner === null ||
      typeof owner.kind !== 'string' ||
      typeof owner.name !== 'string')
  ) {
    throw new TypeError(
      `${factory}: "options.experimental_owner" must be { kind, name } or omitted, received ${describeValue(owner)}`,
    );
  }

  return options;
}

/**
 * True for anything `await` would treat as a promise. Also true when reading `then` throws:
 * awaiting such a value rejects with the getter's error, so the emit reports it as that
 * listener's failure instead of throwing out of `emit`.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;

  try {
    return typeof (value as PromiseLike<unknown>).then === 'function';
  } catch {
    return true;
  }
}
