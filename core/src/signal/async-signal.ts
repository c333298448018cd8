import { tracingEnabled } from '../trace/channel.js';
import type { Context, SignalOptions } from '../types.js';
import { checkContext, EMPTY_CONTEXT, RESOLVED } from './arguments.js';
import { SignalBase } from './base.js';
import type { TracedEmit } from './chain.js';
import { emitConcurrentTraced, runConcurrently } from './concurrent.js';

/**
 * A signal whose listeners run concurrently: Go's `signals.New`. Use it for notifications,
 * logging and other work that the emitter does not wait on.
 */
export class AsyncSignal<T> extends SignalBase<T> {
  readonly kind = 'async' as const;

  constructor(options?: SignalOptions) {
    super(options, 'createSignal');
    this.announce();
  }

  /**
   * Starts every listener with `payload` and `ctx`. Returns before any listener runs; the
   * listeners then start one after another in the same microtask, so they run concurrently
   * whenever they await. The promise resolves once all have settled and never rejects, so
   * `void signal.emit(x)` is a safe fire-and-forget. A listener that throws or rejects goes to
   * `onError` and does not stop the others.
   *
   * `ctx.signal` is passed through to the listeners; the emit itself does not check it.
   *
   * @throws {TypeError} when `ctx` is neither `undefined` nor an object
   * @example
   * const orders = createSignal<{ id: string }>();
   * orders.addListener(async (order) => sendConfirmation(order));
   * void orders.emit({ id: 'order-123' });
   */
  emit(payload: T, ctx?: Context): Promise<void> {
    const context = ctx === undefined ? EMPTY_CONTEXT : checkContext(ctx, 'AsyncSignal.emit');
    if (tracingEnabled) return emitConcurrentTraced(this, payload, context, undefined).promise;

    const listeners = this.listeners;
    if (listeners.length === 0) return RESOLVED;

    const entries = this.entries;
    this.shared = true;
    return RESOLVED.then(() => runConcurrently(this, listeners, entries, payload, context));
  }

  /** @internal Emits with tracing, whether or not a subscriber is attached, for replays. */
  emitTraced(payload: T, ctx: Context, replayOf: number | undefined): TracedEmit {
    return emitConcurrentTraced(this, payload, ctx, replayOf);
  }
}

/**
 * Creates an {@link AsyncSignal}: Go's `New` and `NewWithOptions`.
 *
 * @throws {TypeError} when an option has the wrong type
 * @example
 * const userLoggedIn = createSignal<{ userId: string }>({ name: 'userLoggedIn' });
 */
export function createSignal<T>(options?: SignalOptions): AsyncSignal<T> {
  return new AsyncSignal<T>(options);
}
