import { checkContext } from '../signal/arguments.js';
import type { AsyncSignal } from '../signal/async-signal.js';
import { describeValue, nextTraceId, publish, traceNow, tracingEnabled } from '../trace/channel.js';
import type { OwnerInfo } from '../trace/events.js';
import type { Context, ErrorHandler } from '../types.js';
import { checkFinite, checkInteger, checkName } from './internal.js';
import { createPatternSignal } from './pattern-signal.js';

/** Options for {@link createRateLimitedSignal}. */
export interface RateLimitedSignalOptions {
  /** Name the inspector shows; the underlying signal is `<name>.signal`. @default `rate-limiter#<id>` */
  readonly name?: string;
  /** Tokens added per second: the sustained emit rate. Required. */
  readonly ratePerSecond: number;
  /** Bucket capacity in tokens, full at the start: the emits allowed in one burst. @default 1 */
  readonly burst?: number;
  /** Emits waiting for a token at most; an emit beyond it throws {@link BackpressureError}. @default 1000 */
  readonly queueCapacity?: number;
  /** Receives failures of listeners on the underlying signal. @default the signal's default */
  readonly onError?: ErrorHandler;
}

/** The outcome of {@link RateLimitedSignal.emit} for one payload. */
export type RateLimitedEmitResult = 'emitted' | 'queued';

/** Thrown by {@link RateLimitedSignal.emit} when the queue is full; the payload was dropped. */
export class BackpressureError extends Error {
  override readonly name = 'BackpressureError';
  readonly limiter: string;
  /** Queue length when the emit was rejected, equal to the capacity. */
  readonly queued: number;
  readonly capacity: number;
  /** Milliseconds until the next token, after which a retry may be queued. */
  readonly retryAfterMs: number;

  constructor(limiter: string, queued: number, capacity: number, retryAfterMs: number) {
    super(
      `RateLimitedSignal "${limiter}": emit rejected because the queue is full (${queued} of ${capacity}). Retry in ${retryAfterMs} ms, emit less often, or raise "queueCapacity" or "ratePerSecond".`,
    );
    this.limiter = limiter;
    this.queued = queued;
    this.capacity = capacity;
    this.retryAfterMs = retryAfterMs;
  }
}

interface QueuedEmit<T> {
  readonly payload: T;
  readonly ctx: Context;
}

/**
 * An async signal behind a token bucket. {@link emit} forwards a payload at once while tokens
 * are left, queues it while the queue has room, and otherwise throws a
 * {@link BackpressureError} instead of letting the queue grow. A timer drains the queue in
 * order at `ratePerSecond`. Listeners go on {@link signal}.
 *
 * @example
 * const limited = createRateLimitedSignal<Metric>({ name: 'metrics', ratePerSecond: 50, burst: 10 });
 * limited.signal.addListener((metric) => exporter.send(metric));
 * try {
 *   limited.emit(metric);
 * } catch (error) {
 *   if (error instanceof BackpressureError) droppedMetrics++;
 * }
 */
export class RateLimitedSignal<T> {
  /** Process-wide unique id. */
  readonly id: number;
  readonly name: string;
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly queueCapacity: number;
  /** The signal that receives payloads at the limited rate; add listeners here. */
  readonly signal: AsyncSignal<T>;

  #tokens: number;
  #refilledAt = Date.now();
  readonly #queue: QueuedEmit<T>[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #dropped = 0;
  #disposed = false;

  /**
   * @throws {TypeError} when an option has the wrong type
   * @throws {RangeError} when `ratePerSecond` is not above 0, or `burst` or `queueCapacity` is
   *   out of range
   */
  constructor(options: RateLimitedSignalOptions) {
    const where = 'createRateLimitedSignal';
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(
        `${where}: "options" must be an object with "ratePerSecond", received ${describeValue(options)}.`,
      );
    }

    this.ratePerSecond = checkFinite(
      where,
      'ratePerSecond',
      options.ratePerSecond,
      0,
      'Pass how many emits per second to let through, such as 10.',
      true,
    );
    this.burst = checkInteger(
      where,
      'burst',
      options.burst ?? 1,
      1,
      'Pass how many emits may pass at once, such as 5.',
    );
    this.queueCapacity = checkInteger(
      where,
      'queueCapacity',
      options.queueCapacity ?? 1000,
      0,
      'Pass how many emits may wait, such as 1000, or 0 to reject instead of queueing.',
    );
    this.#tokens = this.burst;

    this.id = nextTraceId();
    this.name =
      options.name === undefined
        ? `rate-limiter#${this.id}`
        : checkName(where, 'name', options.name, 'Pass a name such as "metrics", or omit it.');
    const owner: OwnerInfo = { kind: 'rate-limiter', name: this.name };
    this.signal = createPatternSignal<T>(owner, 'signal', options.onError);
  }

  /**
   * Forwards `payload` to {@link signal} now when a token is left and nothing is queued, or
   * queues it. Returns which it did; listeners run later either way, as with any async emit.
   *
   * @throws {BackpressureError} when the queue is full; the payload is dropped and counted
   * @throws {TypeError} when `ctx` is not an object
   * @throws {Error} after {@link dispose}
   */
  emit(payload: T, ctx?: Context): RateLimitedEmitResult {
    const where = 'RateLimitedSignal.emit';
    if (this.#disposed) {
      throw new Error(`${where}: "${this.name}" was disposed. Create a new rate-limited signal.`);
    }
    const emitCtx = checkContext(ctx, where);

    this.#refill();
    if (this.#queue.length === 0 && this.#tokens >= 1) {
      this.#tokens -= 1;
      void this.signal.emit(payload, emitCtx);
      return 'emitted';
    }

    if (this.#queue.length >= this.queueCapacity) {
      this.#dropped++;
      if (tracingEnabled) {
        publish({
          type: 'ratelimiter.dropped',
          ts: traceNow(),
          signalId: this.signal.signalId,
          name: this.name,
          queued: this.#queue.length,
          capacity: this.queueCapacity,
          payload,
        });
      }
      throw new BackpressureError(
        this.name,
        this.#queue.length,
        this.queueCapacity,
        this.#msUntilToken(),
      );
    }

    this.#queue.push({ payload, ctx: emitCtx });
    this.#schedule();
    return 'queued';
  }

  /** Payloads rejected with {@link BackpressureError} since creation. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Payloads waiting for a token. */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Stops the drain timer, discards the queue and removes the listeners of {@link signal}.
   * Returns how many queued payloads were discarded; they do not count as `dropped`.
   */
  dispose(): number {
    const discarded = this.#queue.length;
    this.#disposed = true;
    this.#queue.length = 0;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.signal.reset();
    return discarded;
  }

  #refill(): void {
    const now = Date.now();
    // A clock set backwards adds no tokens instead of removing some.
    const elapsedMs = Math.max(0, now - this.#refilledAt);
    this.#refilledAt = now;
    this.#tokens = Math.min(this.burst, this.#tokens + (elapsedMs * this.ratePerSecond) / 1000);
  }

  #msUntilToken(): number {
    if (this.#tokens >= 1) return 0;
    return Math.ceil(((1 - this.#tokens) * 1000) / this.ratePerSecond);
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#queue.length === 0) return;

    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#drain();
    }, this.#msUntilToken());
  }

  #drain(): void {
    this.#refill();
    while (this.#queue.length > 0 && this.#tokens >= 1) {
      const next = this.#queue.shift()!;
      // A payload whose emitter gave up while it waited is skipped and keeps its token.
      if (next.ctx.signal?.aborted) continue;

      this.#tokens -= 1;
      void this.signal.emit(next.payload, next.ctx);
    }
    this.#schedule();
  }
}

/** Creates a {@link RateLimitedSignal}. */
export function createRateLimitedSignal<T>(
  options: RateLimitedSignalOptions,
): RateLimitedSignal<T> {
  return new RateLimitedSignal<T>(options);
}
