import { checkContext } from '../signal/arguments.js';
import type { AsyncSignal } from '../signal/async-signal.js';
import {
  describeValue,
  nextTraceId,
  publish,
  registerTraceable,
  traceNow,
  tracingEnabled,
} from '../trace/channel.js';
import type { OwnerInfo, SagaInfo, SagaStatus, SagaStepPhase } from '../trace/events.js';
import type { Context, ErrorHandler } from '../types.js';
import {
  checkFinite,
  checkName,
  delay,
  describeError,
  GuardedAttempt,
  invoke,
  nowMs,
  withoutAbortSignal,
} from './internal.js';
import { createPatternSignal } from './pattern-signal.js';
import { SagaError, type SagaRollbackFailure } from './saga-error.js';
import {
  defaultShouldRetry,
  type NormalizedStep,
  normalizeSteps,
  type SagaShouldRetry,
  type SagaStep,
} from './saga-step.js';
import {
  copyRecord,
  InMemorySagaStore,
  type SagaRunRecord,
  type SagaStepStatus,
  type SagaStore,
} from './saga-store.js';
/** Options for {@link Saga}. */
export interface SagaOptions<D> {
  /** Name the inspector shows and the saga's signals start with. @default `saga#<id>` */
  readonly name?: string;
  /** The steps, run in order. At least one, with unique names. */
  readonly steps: readonly SagaStep<D>[];
  /** Backoff before the first retry; each later retry doubles it. @default 100 */
  readonly baseRetryDelayMs?: number;
  /** Upper bound of the backoff. @default 10000 */
  readonly maxRetryDelayMs?: number;
  /** Calls an error transient. @default {@link defaultShouldRetry} */
  readonly shouldRetry?: SagaShouldRetry;
  /** Saves every run after every step. @default a new {@link InMemorySagaStore} */
  readonly store?: SagaStore<D>;
  /** Receives failures of listeners on the saga's signals. @default the signals' default */
  readonly onError?: ErrorHandler;
}

/** The payload of the saga's step signals. */
export interface SagaStepProgress {
  readonly saga: string;
  readonly runId: number;
  readonly step: string;
  readonly index: number;
  /** `rollback` for `stepRolledBack`, and for `stepFailed` when a rollback failed. */
  readonly phase: 'execute' | 'rollback';
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Milliseconds the attempt or rollback took; `undefined` on `stepStarted`. */
  readonly durationMs: number | undefined;
  readonly error: unknown;
  /** On `stepRetry`: milliseconds before the next attempt. */
  readonly delayMs: number | undefined;
  /** Milliseconds since the Unix epoch. */
  readonly ts: number;
}

/** The payload of `sagaCompleted` and `sagaFailed`. */
export interface SagaRunOutcome<D> {
  readonly saga: string;
  readonly runId: number;
  readonly status: SagaStatus;
  readonly durationMs: number;
  readonly error: unknown;
  readonly record: SagaRunRecord<D>;
  /** Milliseconds since the Unix epoch. */
  readonly ts: number;
}

interface MutableStepRecord {
  name: string;
  status: SagaStepStatus;
  attempts: number;
  error: unknown;
}

interface MutableRunRecord<D> {
  runId: number;
  saga: string;
  status: SagaStatus;
  data: D;
  steps: MutableStepRecord[];
  startedAt: number;
  finishedAt: number | undefined;
  error: unknown;
}

/** Fields of a step event besides the step and run. */
interface StepDetails {
  /** 1 for the first attempt; rollbacks report 1. */
  readonly attempt: number;
  readonly durationMs?: number;
  readonly error?: unknown;
  readonly delayMs?: number;
}

type StepResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: unknown; readonly aborted: boolean };

/**
 * Runs steps in order. A critical step's failure rolls back the completed steps in reverse
 * order and rejects `run` with a {@link SagaError}; a non-critical failure is recorded and the
 * run goes on. Idempotent steps retry transient errors with exponential backoff.
 *
 * @example
 * const checkout = new Saga<Order>({
 *   name: 'checkout',
 *   steps: [
 *     { name: 'reserve', execute: (o) => stock.reserve(o), rollback: (o) => stock.release(o) },
 *     { name: 'charge', execute: (o) => payments.charge(o), retries: 2, idempotent: true },
 *   ],
 * });
 * const record = await checkout.run(order);
 */
export class Saga<D> {
  readonly traceKind = 'saga' as const;
  /** Process-wide unique id, as trace events carry it. */
  readonly id: number;
  readonly name: string;
  readonly baseRetryDelayMs: number;
  readonly maxRetryDelayMs: number;
  readonly store: SagaStore<D>;

  readonly stepStarted: AsyncSignal<SagaStepProgress>;
  readonly stepCompleted: AsyncSignal<SagaStepProgress>;
  readonly stepRetry: AsyncSignal<SagaStepProgress>;
  readonly stepFailed: AsyncSignal<SagaStepProgress>;
  readonly stepRolledBack: AsyncSignal<SagaStepProgress>;
  readonly sagaCompleted: AsyncSignal<SagaRunOutcome<D>>;
  readonly sagaFailed: AsyncSignal<SagaRunOutcome<D>>;

  readonly #steps: readonly NormalizedStep<D>[];
  readonly #shouldRetry: SagaShouldRetry;

  /**
   * @throws {TypeError} when `steps` is not a non-empty array of valid steps, or another option
   *   has the wrong type
   * @throws {RangeError} when a number is out of range
   */
  constructor(options: SagaOptions<D>) {
    const where = 'new Saga';
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(
        `${where}: "options" must be an object with "steps", received ${describeValue(options)}.`,
      );
    }

    this.id = nextTraceId();
    this.name =
      options.name === undefined
        ? `saga#${this.id}`
        : checkName(where, 'name', options.name, 'Pass a name such as "checkout", or omit it.');
    this.#steps = normalizeSteps(options.steps);
    this.baseRetryDelayMs = checkFinite(
      where,
      'baseRetryDelayMs',
      options.baseRetryDelayMs ?? 100,
      0,
      'Pass the backoff before the first retry in milliseconds, such as 100.',
    );
    this.maxRetryDelayMs = checkFinite(
      where,
      'maxRetryDelayMs',
      options.maxRetryDelayMs ?? 10_000,
      this.baseRetryDelayMs,
      `Pass a maximum backoff of at least "baseRetryDelayMs" (${this.baseRetryDelayMs}).`,
    );
    if (options.shouldRetry !== undefined && typeof options.shouldRetry !== 'function') {
      throw new TypeError(
        `${where}: "shouldRetry" must be a function, received ${describeValue(options.shouldRetry)}. Pass (error, info) => boolean, or omit it.`,
      );
    }
    this.#shouldRetry = options.shouldRetry ?? defaultShouldRetry;
    this.store = options.store ?? new InMemorySagaStore<D>();

    const owner: OwnerInfo = { kind: 'saga', name: this.name };
    this.stepStarted = createPatternSignal(owner, 'stepStarted', options.onError);
    this.stepCompleted = createPatternSignal(owner, 'stepCompleted', options.onError);
    this.stepRetry = createPatternSignal(owner, 'stepRetry', options.onError);
    this.stepFailed = createPatternSignal(owner, 'stepFailed', options.onError);
    this.stepRolledBack = createPatternSignal(owner, 'stepRolledBack', options.onError);
    this.sagaCompleted = createPatternSignal(owner, 'sagaCompleted', options.onError);
    this.sagaFailed = createPatternSignal(owner, 'sagaFailed', options.onError);

    registerTraceable(this.id, this);
    if (tracingEnabled)
      publish({ type: 'saga.created', ts: traceNow(), ...this.describeForTrace() });
  }

  /**
   * Runs every step with `data` and resolves with the final record (status `completed`, also
   * when non-critical steps failed). Aborting `ctx.signal` stops the run, aborts the running
   * step's `ctx.signal` and rolls back.
   *
   * @throws {SagaError} (as a rejection) after a critical failure or an abort, once the rollback
   *   has finished
   * @throws {Error} (as a rejection) when `store.save` fails; the run stops where it was and
   *   is not rolled back
   */
  async run(data: D, ctx?: Context): Promise<SagaRunRecord<D>> {
    const runCtx = checkContext(ctx, 'Saga.run');
    const record: MutableRunRecord<D> = {
      runId: nextTraceId(),
      saga: this.name,
      status: 'pending',
      data,
      steps: this.#steps.map((step) => ({
        name: step.name,
        status: 'pending',
        attempts: 0,
        error: undefined,
      })),
      startedAt: traceNow(),
      finishedAt: undefined,
      error: undefined,
    };
    const started = nowMs();
    await this.#save(record);

    if (tracingEnabled) {
      publish({
        type: 'saga.run.started',
        ts: traceNow(),
        sagaId: this.id,
        runId: record.runId,
        name: this.name,
        data,
      });
    }
    record.status = 'executing';

    const completed: number[] = [];
    let failure: { index: number; error: unknown } | undefined;
    for (let index = 0; index < this.#steps.length; index++) {
      if (runCtx.signal?.aborted) {
        failure = { index, error: runCtx.signal.reason };
        break;
      }

      const result = await this.#executeStep(index, record, runCtx);
      await this.#save(record);
      if (result.ok) {
        completed.push(index);
        continue;
      }
      if (!result.aborted && !this.#steps[index]!.critical) continue;

      failure = { index, error: result.error };
      break;
    }

    if (failure === undefined) {
      record.status = 'completed';
      record.finishedAt = traceNow();
      await this.#save(record);
      this.#finish(record, this.sagaCompleted, nowMs() - started, runCtx);
      return copyRecord(record);
    }

    record.status = 'rolling_back';
    record.error = failure.error;
    await this.#save(record);
    const rollbackFailures = await this.#rollback(completed, record, runCtx);

    record.status = rollbackFailures.length === 0 ? 'rolled_back' : 'failed';
    record.finishedAt = traceNow();
    await this.#save(record);
    this.#finish(record, this.sagaFailed, nowMs() - started, runCtx);

    const step = this.#steps[failure.index]!;
    throw new SagaError(
      copyRecord(record),
      step.name,
      failure.index,
      failure.error,
      rollbackFailures,
    );
  }

  /** Loads a run's record from the store. */
  load(runId: number): Promise<SagaRunRecord<D> | undefined> {
    return Promise.resolve(this.store.load(runId));
  }

  /** Describes the saga for trace snapshots. */
  describeForTrace(): SagaInfo {
    return {
      sagaId: this.id,
      name: this.name,
      steps: this.#steps.map((step) => ({
        name: step.name,
        critical: step.critical,
        idempotent: step.idempotent,
        retries: step.retries,
        timeoutMs: step.timeoutMs,
        hasRollback: step.rollback !== undefined,
      })),
    };
  }

  async #executeStep(
    index: number,
    record: MutableRunRecord<D>,
    runCtx: Context,
  ): Promise<StepResult> {
    const step = this.#steps[index]!;
    const stepRecord = record.steps[index]!;
    stepRecord.status = 'executing';

    for (let attempt = 1; ; attempt++) {
      stepRecord.attempts = attempt;
      this.#stepEvent(this.stepStarted, 'started', record, index, { attempt }, runCtx);

      const guard = new GuardedAttempt(
        runCtx.signal,
        step.timeoutMs,
        this.#timeoutMessage(step, 'execute'),
      );
      const started = nowMs();
      let error: unknown;
      try {
        await guard.race(
          invoke(() => step.execute(record.data, { ...runCtx, signal: guard.signal })),
        );
        stepRecord.status = 'completed';
        stepRecord.error = undefined;
        this.#stepEvent(
          this.stepCompleted,
          'completed',
          record,
          index,
          { attempt, durationMs: nowMs() - started },
          runCtx,
        );
        return { ok: true };
      } catch (caught) {
        error = caught;
      } finally {
        guard.dispose();
      }

      const durationMs = nowMs() - started;
      const aborted = runCtx.signal?.aborted === true && error === runCtx.signal.reason;
      let retry = false;
      if (!aborted && attempt <= step.retries && step.idempotent) {
        try {
          retry = this.#shouldRetry(error, { step: step.name, index, attempt });
        } catch (hookError) {
          // A throwing hook fails the step with the hook's error, so the bug is not hidden.
          error = hookError;
        }
      }
      stepRecord.error = error;

      if (retry) {
        const delayMs = Math.min(this.baseRetryDelayMs * 2 ** (attempt - 1), this.maxRetryDelayMs);
        this.#stepEvent(
          this.stepRetry,
          'retry',
          record,
          index,
          { attempt, durationMs, error, delayMs },
          runCtx,
        );
        try {
          await delay(delayMs, runCtx.signal);
        } catch (reason) {
          stepRecord.status = 'failed';
          stepRecord.error = reason;
          this.#stepEvent(
            this.stepFailed,
            'failed',
            record,
            index,
            { attempt, durationMs, error: reason },
            runCtx,
          );
          return { ok: false, error: reason, aborted: true };
        }
        continue;
      }

      stepRecord.status = 'failed';
      this.#stepEvent(
        this.stepFailed,
        'failed',
        record,
        index,
        { attempt, durationMs, error },
        runCtx,
      );
      return { ok: false, error, aborted };
    }
  }

  async #rollback(
    completed: readonly number[],
    record: MutableRunRecord<D>,
    runCtx: Context,
  ): Promise<SagaRollbackFailure[]> {
    const failures: SagaRollbackFailure[] = [];
    // Rollbacks run even after an abort, so they get the caller's values but not its signal.
    const rollbackCtx = withoutAbortSignal(runCtx);

    for (let i = completed.length - 1; i >= 0; i--) {
      const index = completed[i]!;
      const step = this.#steps[index]!;
      const stepRecord = record.steps[index]!;
      if (step.rollback === undefined) continue;

      stepRecord.status = 'rolling_back';
      this.#publishStep('rollback.started', record, index, { attempt: 1 });
      const guard = new GuardedAttempt(
        undefined,
        step.timeoutMs,
        this.#timeoutMessage(step, 'rollback'),
      );
      const started = nowMs();
      const rollback = step.rollback;
      try {
        await guard.race(
          invoke(() => rollback(record.data, { ...rollbackCtx, signal: guard.signal })),
        );
        stepRecord.status = 'rolled_back';
        this.#stepEvent(
          this.stepRolledBack,
          'rolled_back',
          record,
          index,
          { attempt: 1, durationMs: nowMs() - started },
          rollbackCtx,
        );
      } catch (error) {
        stepRecord.status = 'rollback_failed';
        stepRecord.error = error;
        failures.push({ step: step.name, index, error });
        this.#stepEvent(
          this.stepFailed,
          'rollback.failed',
          record,
          index,
          { attempt: 1, durationMs: nowMs() - started, error },
          rollbackCtx,
        );
      } finally {
        guard.dispose();
      }
      await this.#save(record);
    }
    return failures;
  }

  async #save(record: MutableRunRecord<D>): Promise<void> {
    try {
      await this.store.save(copyRecord(record));
    } catch (error) {
      throw new Error(
        `Saga "${this.name}" run ${record.runId}: store.save failed at status "${record.status}" (${describeError(error)}). Completed steps were not rolled back; fix the store and inspect the run.`,
        { cause: error },
      );
    }
  }

  #timeoutMessage(step: NormalizedStep<D>, phase: 'execute' | 'rollback'): string {
    return `Saga "${this.name}": ${phase} of step "${step.name}" timed out after ${step.timeoutMs} ms. Raise the step's "timeoutMs" or make it faster.`;
  }

  #stepEvent(
    signal: AsyncSignal<SagaStepProgress>,
    phase: SagaStepPhase,
    record: MutableRunRecord<D>,
    index: number,
    details: StepDetails,
    ctx: Context,
  ): void {
    const isRollback =
      phase === 'rolled_back' || phase === 'rollback.failed' || phase === 'rollback.started';
    void signal.emit(
      {
        saga: this.name,
        runId: record.runId,
        step: this.#steps[index]!.name,
        index,
        phase: isRollback ? 'rollback' : 'execute',
        attempt: details.attempt,
        durationMs: details.durationMs,
        error: details.error,
        delayMs: details.delayMs,
        ts: traceNow(),
      },
      withoutAbortSignal(ctx),
    );
    this.#publishStep(phase, record, index, details);
  }

  #publishStep(
    phase: SagaStepPhase,
    record: MutableRunRecord<D>,
    index: number,
    details: StepDetails,
  ): void {
    if (!tracingEnabled) return;

    publish({
      type: 'saga.step',
      ts: traceNow(),
      sagaId: this.id,
      runId: record.runId,
      step: this.#steps[index]!.name,
      index,
      phase,
      attempt: details.attempt,
      durationMs: details.durationMs,
      error: details.error,
      delayMs: details.delayMs,
    });
  }

  #finish(
    record: MutableRunRecord<D>,
    signal: AsyncSignal<SagaRunOutcome<D>>,
    durationMs: number,
    ctx: Context,
  ): void {
    void signal.emit(
      {
        saga: this.name,
        runId: record.runId,
        status: record.status,
        durationMs,
        error: record.error,
        record: copyRecord(record),
        ts: traceNow(),
      },
      withoutAbortSignal(ctx),
    );
    if (tracingEnabled) {
      publish({
        type: 'saga.run.finished',
        ts: traceNow(),
        sagaId: this.id,
        runId: record.runId,
        name: this.name,
        status: record.status,
        durationMs,
        error: record.error,
      });
    }
  }
}
