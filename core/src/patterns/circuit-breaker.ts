import { checkContext } from '../signal/arguments.js';
import type { AsyncSignal } from '../signal/async-signal.js';
import {
  nextTraceId,
  publish,
  registerTraceable,
  traceNow,
  tracingEnabled,
} from '../trace/channel.js';
import type {
  BreakerCounters,
  BreakerInfo,
  BreakerSettings,
  BreakerState,
  OwnerInfo,
} from '../trace/events.js';
import type { Context, ErrorHandler } from '../types.js';
import {
  checkFinite,
  checkInteger,
  checkName,
  GuardedAttempt,
  invoke,
  nowMs,
  withoutAbortSignal,
} from './internal.js';
import { createPatternSignal } from './pattern-signal.js';

/** Options for {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Name the inspector shows and the breaker's signals start with. @default `breaker#<id>` */
  readonly name?: string;
  /** Consecutive failures in the closed state that open the circuit. @default 5 */
  readonly failureThreshold?: number;
  /** Milliseconds the circuit stays open before the next call may try a half-open trial. @default 30000 */
  readonly recoveryTimeoutMs?: number;
  /** Successful trial calls in the half-open state that close the circuit. @default 1 */
  readonly successThreshold?: number;
  /** Trial calls allowed in flight at once in the half-open state. @default 1 */
  readonly halfOpenMaxCalls?: number;
  /**
   * Milliseconds after which a call rejects with a TimeoutError and counts as a failure.
   * `undefined` lets calls run as long as they take.
   * @default undefined
   */
  readonly callTimeoutMs?: number;
  /** Receives failures of listeners on the breaker's signals. @default the signals' default */
  readonly onError?: ErrorHandler;
}

/** The payload of {@link CircuitBreaker.stateChanged}. */
export interface BreakerStateChange {
  readonly breaker: string;
  readonly from: BreakerState;
  readonly to: BreakerState;
  /** Why, in a short sentence, such as "5 consecutive failures". */
  readonly reason: string;
  readonly counters: BreakerCounters;
  /** Milliseconds since the Unix epoch. */
  readonly ts: number;
}

/**
 * The outcome of a call: `rejected` means the open circuit refused it without calling `fn`, and
 * `cancelled` means the caller's `ctx.signal` aborted while `fn` ran.
 */
export type BreakerCallOutcome = 'success' | 'failure' | 'timeout' | 'rejected' | 'cancelled';

/** The payload of {@link CircuitBreaker.callResult}. */
export interface BreakerCallResult {
  readonly breaker: string;
  readonly outcome: BreakerCallOutcome;
  /** Milliseconds from the call to its outcome; 0 for rejected calls. */
  readonly durationMs: number;
  /** The error the call rejected with, or `undefined` on success. */
  readonly error: unknown;
  /** The state the call started in. */
  readonly state: BreakerState;
  /** Milliseconds since the Unix epoch. */
  readonly ts: number;
}

/** Thrown by {@link CircuitBreaker.call} when the circuit refuses a call without running it. */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  /** The breaker's name. */
  readonly breaker: string;
  /** `open`, or `half-open` when every trial slot is taken. */
  readonly state: BreakerState;
  /** Milliseconds until the next call may try a trial; 0 in the half-open state. */
  readonly retryAfterMs: number;

  constructor(breaker: string, state: BreakerState, retryAfterMs: number) {
    const detail =
      state === 'open'
        ? `the circuit is open; retry in ${retryAfterMs} ms`
        : 'the circuit is half-open and every trial slot is in use; retry when a trial call ends';
    super(`CircuitBreaker "${breaker}": call rejected because ${detail}`);
    this.breaker = breaker;
    this.state = state;
    this.retryAfterMs = retryAfterMs;
  }
}

const DEFAULTS = {
  failureThreshold: 5,
  recoveryTimeoutMs: 30_000,
  successThreshold: 1,
  halfOpenMaxCalls: 1,
} as const;

interface MutableCounters {
  calls: number;
  successes: number;
  failures: number;
  timeouts: number;
  rejections: number;
}

/**
 * Guards calls to a dependency. After `failureThreshold` consecutive failures the circuit opens
 * and calls fail fast with a {@link CircuitOpenError}. Once `recoveryTimeoutMs` has passed, the
 * next call moves it to half-open, where at most `halfOpenMaxCalls` trial calls run at once:
 * `successThreshold` successes close it, and one failure opens it again.
 *
 * @example
 * const breaker = new CircuitBreaker({ name: 'payments', failureThreshold: 3 });
 * breaker.stateChanged.addListener(({ from, to, reason }) => console.log(from, to, reason));
 * const receipt = await breaker.call((ctx) => fetch(url, { signal: ctx.signal }));
 */
export class CircuitBreaker {
  readonly traceKind = 'breaker' as const;
  /** Process-wide unique id, as trace events carry it. */
  readonly id: number;
  readonly name: string;
  readonly settings: BreakerSettings;
  /** Emits on every state transition. */
  readonly stateChanged: AsyncSignal<BreakerStateChange>;
  /** Emits once per call with its outcome. */
  readonly callResult: AsyncSignal<BreakerCallResult>;

  #state: BreakerState = 'closed';
  // Bumped on every transition. A call's outcome moves the state only when the call started in
  // the current generation, so a slow call from before a transition cannot count as a trial.
  #generation = 0;
  #consecutiveFailures = 0;
  #trialSuccesses = 0;
  #trialsInFlight = 0;
  #openedAt = 0;
  readonly #counters: MutableCounters = {
    calls: 0,
    successes: 0,
    failures: 0,
    timeouts: 0,
    rejections: 0,
  };

  /**
   * @throws {TypeError} when an option has the wrong type
   * @throws {RangeError} when a number is out of range, such as `failureThreshold: 0`
   */
  constructor(options: CircuitBreakerOptions = {}) {
    const where = 'new CircuitBreaker';
    this.id = nextTraceId();
    this.name =
      options.name === undefined
        ? `breaker#${this.id}`
        : checkName(where, 'name', options.name, 'Pass a name such as "payments", or omit it.');

    this.settings = Object.freeze({
      failureThreshold: checkInteger(
        where,
        'failureThreshold',
        options.failureThreshold ?? DEFAULTS.failureThreshold,
        1,
        'Pass how many consecutive failures open the circuit, such as 5.',
      ),
      recoveryTimeoutMs: checkFinite(
        where,
        'recoveryTimeoutMs',
        options.recoveryTimeoutMs ?? DEFAULTS.recoveryTimeoutMs,
        0,
        'Pass the milliseconds the circuit stays open, such as 30000.',
      ),
      successThreshold: checkInteger(
        where,
        'successThreshold',
        options.successThreshold ?? DEFAULTS.successThreshold,
        1,
        'Pass how many successful trial calls close the circuit, such as 1.',
      ),
      halfOpenMaxCalls: checkInteger(
        where,
        'halfOpenMaxCalls',
        options.halfOpenMaxCalls ?? DEFAULTS.halfOpenMaxCalls,
        1,
        'Pass how many trial calls may run at once in the half-open state, such as 1.',
      ),
      callTimeoutMs:
        options.callTimeoutMs === undefined
          ? undefined
          : checkFinite(
              where,
              'callTimeoutMs',
              options.callTimeoutMs,
              0,
              'Pass a timeout in milliseconds greater than 0, or omit it for no timeout.',
              true,
            ),
    });

    const owner: OwnerInfo = { kind: 'breaker', name: this.name };
    this.stateChanged = createPatternSignal(owner, 'stateChanged', options.onError);
    this.callResult = createPatternSignal(owner, 'callResult', options.onError);

    registerTraceable(this.id, this);
    if (tracingEnabled)
      publish({ type: 'breaker.created', ts: traceNow(), ...this.describeForTrace() });
  }

  /** `closed`, `open` or `half-open`. An open circuit turns half-open only on the next call. */
  get state(): BreakerState {
    return this.#state;
  }

  /**
   * Counts since the breaker was created. `calls` counts every call, also rejected and
   * cancelled ones; `timeouts` are also counted in `failures`.
   */
  get counters(): BreakerCounters {
    return { ...this.#counters };
  }

  /**
   * Runs `fn` through the breaker and settles as it does. `fn` receives the caller's context
   * with a `signal` that aborts when the caller's signal aborts or `callTimeoutMs` passes.
   *
   * @throws {CircuitOpenError} (as a rejection) when the circuit is open, or half-open with every
   *   trial slot in use; `fn` is not called
   * @throws {DOMException} named `TimeoutError` (as a rejection) when `callTimeoutMs` passes
   * @throws the caller's `ctx.signal.reason` (as a rejection) when the caller aborts; an already
   *   aborted signal rejects without calling `fn` and without counting the call
   */
  call<R>(fn: (ctx: Context) => R | Promise<R>, ctx?: Context): Promise<R> {
    if (typeof fn !== 'function') {
      return Promise.reject(
        new TypeError(
          `CircuitBreaker.call: "fn" must be a function, received ${typeof fn}. Pass the operation to guard, such as (ctx) => fetch(url, { signal: ctx.signal }).`,
        ),
      );
    }
    let callerCtx: Context;
    try {
      callerCtx = checkContext(ctx, 'CircuitBreaker.call');
    } catch (error) {
      return Promise.reject(error);
    }
    if (callerCtx.signal?.aborted) return Promise.reject(callerCtx.signal.reason);

    this.#counters.calls++;
    if (this.#state === 'open' && nowMs() - this.#openedAt >= this.settings.recoveryTimeoutMs) {
      this.#transition('half-open', 'recovery timeout elapsed');
    }

    const startState = this.#state;
    if (
      startState === 'open' ||
      (startState === 'half-open' && this.#trialsInFlight >= this.settings.halfOpenMaxCalls)
    ) {
      return Promise.reject(this.#reject(startState, callerCtx));
    }

    return this.#run(fn, callerCtx, startState);
  }

  /** Describes the breaker for trace snapshots. */
  describeForTrace(): BreakerInfo {
    return {
      breakerId: this.id,
      name: this.name,
      state: this.#state,
      settings: this.settings,
      counters: this.counters,
    };
  }

  #reject(state: BreakerState, callerCtx: Context): CircuitOpenError {
    this.#counters.rejections++;
    const retryAfterMs =
      state === 'open'
        ? Math.max(0, this.#openedAt + this.settings.recoveryTimeoutMs - nowMs())
        : 0;
    const error = new CircuitOpenError(this.name, state, retryAfterMs);
    this.#report('rejected', state, 0, error, callerCtx);
    return error;
  }

  async #run<R>(
    fn: (ctx: Context) => R | Promise<R>,
    callerCtx: Context,
    startState: BreakerState,
  ): Promise<R> {
    const generation = this.#generation;
    const attempt = new GuardedAttempt(
      callerCtx.signal,
      this.settings.callTimeoutMs,
      `CircuitBreaker "${this.name}": call timed out after ${this.settings.callTimeoutMs} ms. Raise "callTimeoutMs" or make the call faster.`,
    );
    // Taken only once nothing can throw before the try below, which always gives it back.
    const isTrial = startState === 'half-open';
    if (isTrial) this.#trialsInFlight++;
    const started = nowMs();
    const fnCtx: Context = { ...callerCtx, signal: attempt.signal };

    try {
      const value = await attempt.race(invoke(() => fn(fnCtx)));
      this.#settle(generation, isTrial, 'success');
      this.#report('success', startState, nowMs() - started, undefined, callerCtx);
      return value;
    } catch (error) {
      const outcome: BreakerCallOutcome = attempt.timedOut
        ? 'timeout'
        : callerCtx.signal?.aborted && error === callerCtx.signal.reason
          ? 'cancelled'
          : 'failure';
      this.#settle(generation, isTrial, outcome);
      this.#report(outcome, startState, nowMs() - started, error, callerCtx);
      throw error;
    } finally {
      attempt.dispose();
    }
  }

  #settle(generation: number, isTrial: boolean, outcome: BreakerCallOutcome): void {
    if (outcome === 'success') this.#counters.successes++;
    if (outcome === 'failure' || outcome === 'timeout') this.#counters.failures++;
    if (outcome === 'timeout') this.#counters.timeouts++;

    const current = generation === this.#generation;
    if (isTrial && current) this.#trialsInFlight--;
    // A cancelled call shows nothing about the dependency, and a stale one belongs to a state
    // that has already ended.
    if (!current || outcome === 'cancelled') return;

    if (this.#state === 'closed') {
      if (outcome === 'success') {
        this.#consecutiveFailures = 0;
        return;
      }
      this.#consecutiveFailures++;
      if (this.#consecutiveFailures >= this.settings.failureThreshold) {
        this.#transition('open', `${this.#consecutiveFailures} consecutive failures`);
      }
      return;
    }

    if (this.#state === 'half-open') {
      if (outcome !== 'success') {
        this.#transition(
          'open',
          outcome === 'timeout' ? 'trial call timed out' : 'trial call failed',
        );
        return;
      }
      this.#trialSuccesses++;
      if (this.#trialSuccesses >= this.settings.successThreshold) {
        this.#transition('closed', `${this.#trialSuccesses} successful trial calls`);
      }
    }
  }

  #transition(to: BreakerState, reason: string): void {
    const from = this.#state;
    this.#state = to;
    this.#generation++;
    this.#consecutiveFailures = 0;
    this.#trialSuccesses = 0;
    this.#trialsInFlight = 0;
    if (to === 'open') this.#openedAt = nowMs();

    const counters = this.counters;
    void this.stateChanged.emit({ breaker: this.name, from, to, reason, counters, ts: traceNow() });
    if (tracingEnabled) {
      publish({
        type: 'breaker.stateChanged',
        ts: traceNow(),
        breakerId: this.id,
        name: this.name,
        from,
        to,
        reason,
        counters,
      });
    }
  }

  #report(
    outcome: BreakerCallOutcome,
    state: BreakerState,
    durationMs: number,
    error: unknown,
    callerCtx: Context,
  ): void {
    const ts = traceNow();
    void this.callResult.emit(
      { breaker: this.name, outcome, durationMs, error, state, ts },
      withoutAbortSignal(callerCtx),
    );
    if (tracingEnabled) {
      publish({
        type: 'breaker.callResult',
        ts,
        breakerId: this.id,
        name: this.name,
        outcome,
        state,
        durationMs,
        error,
      });
    }
  }
}
