import { tracingEnabled } from '../trace/channel.js';
import type { Context, SignalOptions } from '../types.js';
import { checkContext, EMPTY_CONTEXT, isThenable, RESOLVED } from './arguments.js';
import { SignalBase } from './base.js';
import { continueChain, emitChainTraced, runChainFrom, type TracedEmit } from './chain.js';
import {
  COMPILE_AFTER_EMITS,
  compileChain,
  compiledEmitEnabled,
  type EmitMethod,
} from './compiled-emit.js';

/**
 * A signal whose listeners run one at a time in registration order: Go's `signals.NewSync`.
 * Use it for validation chains and steps that must happen in order.
 */
export class SyncSignal<T> extends SignalBase<T> {
  readonly kind = 'sync' as const;

  #installedEmit: EmitMethod<T> | undefined = undefined;
  #installedTryEmit: EmitMethod<T> | undefined = undefined;
  #invalidateCompiled: (() => void) | undefined = undefined;

  constructor(options?: SignalOptions) {
    super(options, 'createSyncSignal');
    this.announce();
  }

  /**
   * Runs the listeners in order, awaiting each one that returns a promise. When every listener
   * returns synchronously, all have run before `emit` returns. Stops before the next listener
   * once `ctx.signal` is aborted, and at once while a listener's promise is pending. A failing
   * listener goes to `onError` and the chain goes on. The promise never rejects, also on
   * abort.
   *
   * @throws {TypeError} when `ctx` is neither `undefined` nor an object
   */
  emit(payload: T, ctx?: Context): Promise<void> {
    if (ctx !== undefined) return this.#emitWithContext(payload, ctx);
    if (tracingEnabled)
      return emitChainTraced(this, payload, EMPTY_CONTEXT, false, undefined).promise;

    const compiled = this.compiledEmit;
    if (compiled !== undefined) return compiled(payload, EMPTY_CONTEXT);
    if (this.stableEmits < COMPILE_AFTER_EMITS && this.#countTowardsCompile()) {
      return this.compiledEmit!(payload, EMPTY_CONTEXT);
    }

    const listeners = this.listeners;
    const entries = this.entries;
    this.shared = true;

    // Without ctx nothing can abort, so this loop only calls. After a throw the rest of the
    // chain runs in runChainFrom.
    // Every listener is called from this one site, which V8 in Node 20 no longer inlines once
    // several listener functions have passed through it. That is why a listener set that stays
    // unchanged gets a compiled emit (compiled-emit.ts) with one call site per listener.
    let index = 0;
    try {
      for (; index < listeners.length; index++) {
        const value = listeners[index]!(payload, EMPTY_CONTEXT);
        if (value !== undefined && isThenable(value)) {
          return continueChain(
            this,
            listeners,
            entries,
            index,
            value,
            payload,
            EMPTY_CONTEXT,
            false,
            undefined,
          );
        }
      }
    } catch (error) {
      this.reportListenerError(error, index, entries);
      return runChainFrom(this, listeners, entries, index + 1, payload, EMPTY_CONTEXT);
    }

    return RESOLVED;
  }

  #emitWithContext(payload: T, ctx: Context): Promise<void> {
    const context = checkContext(ctx, 'SyncSignal.emit');
    if (tracingEnabled) return emitChainTraced(this, payload, context, false, undefined).promise;

    const compiled = this.compiledEmit;
    if (compiled !== undefined) return compiled(payload, context);
    if (this.stableEmits < COMPILE_AFTER_EMITS && this.#countTowardsCompile()) {
      return this.compiledEmit!(payload, context);
    }

    this.shared = true;
    return runChainFrom(this, this.listeners, this.entries, 0, payload, context);
  }

  /**
   * Counts one more emit with the current listener set and compiles the set once the count
   * reaches {@link COMPILE_AFTER_EMITS}. Returns whether `compiledEmit` and `compiledTryEmit`
   * are now set. The count stays at the threshold after a failed compile, so a set that cannot
   * compile is tried once.
   */
  #countTowardsCompile(): boolean {
    if (!compiledEmitEnabled) return false;
    if (++this.stableEmits < COMPILE_AFTER_EMITS) return false;

    // Shared, so that the next add or remove copies the arrays the compiled code refers to.
    this.shared = true;
    const compiled = compileChain(this, this.listeners, this.entries, {
      emit: SyncSignal.prototype.emit,
      tryEmit: SyncSignal.prototype.tryEmit,
    });
    if (compiled === undefined) return false;

    this.compiledEmit = compiled.emit;
    this.compiledTryEmit = compiled.tryEmit;
    this.#invalidateCompiled = compiled.invalidate;

    // As own properties, the generated methods are what `signal.emit(x)` calls. A call site
    // that emits one signal then calls only one function, and V8 can inline the whole chain.
    // A subclass's override or a method the caller patched on the instance stays in place.
    if (this.emit === SyncSignal.prototype.emit && this.tryEmit === SyncSignal.prototype.tryEmit) {
      this.emit = compiled.publicEmit;
      this.tryEmit = compiled.publicTryEmit;
      this.#installedEmit = compiled.publicEmit;
      this.#installedTryEmit = compiled.publicTryEmit;
    }
    return true;
  }

  /** @internal Puts the prototype methods back where compiled ones were installed. */
  protected override uninstallCompiled(): void {
    // A caller may still hold the installed function, as in `const emit = signal.emit`.
    this.#invalidateCompiled?.();
    this.#invalidateCompiled = undefined;
    // Assigned rather than deleted: deleting a property turns the object into a slow dictionary.
    if (this.#installedEmit !== undefined && this.emit === this.#installedEmit) {
      this.emit = SyncSignal.prototype.emit;
    }
    if (this.#installedTryEmit !== undefined && this.tryEmit === this.#installedTryEmit) {
      this.tryEmit = SyncSignal.prototype.tryEmit;
    }
    this.#installedEmit = undefined;
    this.#installedTryEmit = undefined;
  }

  /**
   * Runs the listeners like {@link emit}, but the first failure stops the chain: the promise
   * rejects with that listener's own error, unwrapped, so `instanceof` checks work as
   * `errors.Is` and `errors.As` do in Go. An abort before or between listeners rejects with
   * `ctx.signal.reason` (an `AbortError`, or a `TimeoutError` from `AbortSignal.timeout`). An
   * abort while a listener's promise is pending rejects at once and skips the rest, which never
   * run later. Every abort listener that `tryEmit` adds to `ctx.signal` is removed when it
   * ends.
   *
   * @throws {TypeError} when `ctx` is neither `undefined` nor an object
   * @example
   * try {
   *   await payment.tryEmit(order, { signal: AbortSignal.timeout(2_000) });
   * } catch (error) {
   *   if (error instanceof ValidationError) return reject(order, error);
   *   throw error;
   * }
   */
  tryEmit(payload: T, ctx?: Context): Promise<void> {
    const context = ctx === undefined ? EMPTY_CONTEXT : checkContext(ctx, 'SyncSignal.tryEmit');
    if (tracingEnabled) return emitChainTraced(this, payload, context, true, undefined).promise;

    const compiled = this.compiledTryEmit;
    if (compiled !== undefined) return compiled(payload, context);
    if (this.stableEmits < COMPILE_AFTER_EMITS && this.#countTowardsCompile()) {
      return this.compiledTryEmit!(payload, context);
    }

    const listeners = this.listeners;
    const count = listeners.length;
    const abortSignal = context.signal;
    if (count === 0) {
      return abortSignal?.aborted ? Promise.reject(abortSignal.reason) : RESOLVED;
    }

    const entries = this.entries;
    this.shared = true;

    for (let index = 0; index < count; index++) {
      if (abortSignal?.aborted) return Promise.reject(abortSignal.reason);

      let value: unknown;
      try {
        value = listeners[index]!(payload, context);
      } catch (error) {
        return Promise.reject(error);
      }

      if (value !== undefined && isThenable(value)) {
        return continueChain(
          this,
          listeners,
          entries,
          index,
          value,
          payload,
          context,
          true,
          undefined,
        );
      }
    }

    return RESOLVED;
  }

  /** @internal Emits with tracing, whether or not a subscriber is attached, for replays. */
  emitTraced(
    payload: T,
    ctx: Context,
    stopOnFailure: boolean,
    replayOf: number | undefined,
  ): TracedEmit {
    return emitChainTraced(this, payload, ctx, stopOnFailure, replayOf);
  }
}

/**
 * Creates a {@link SyncSignal}: Go's `NewSync` and `NewSyncWithOptions`.
 *
 * @throws {TypeError} when an option has the wrong type
 * @example
 * const checkout = createSyncSignal<Order>({ name: 'checkout' });
 * checkout.addListener(validateOrder, 'validate');
 * checkout.addListener(chargeCard, 'charge');
 * await checkout.tryEmit(order);
 */
export function createSyncSignal<T>(options?: SignalOptions): SyncSignal<T> {
  return new SyncSignal<T>(options);
}
