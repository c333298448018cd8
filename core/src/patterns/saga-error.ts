import { describeError } from './internal.js';
import type { SagaRunRecord } from './saga-store.js';

/** A rollback that threw while a saga rolled back. */
export interface SagaRollbackFailure {
  readonly step: string;
  readonly index: number;
  readonly error: unknown;
}

/**
 * Rejects `Saga.run` after a critical step failed or the run was aborted and the saga
 * rolled back. `cause` is the step's own error (or the abort reason).
 */
export class SagaError<D = unknown> extends Error {
  override readonly name = 'SagaError';
  readonly saga: string;
  readonly runId: number;
  /** The step that failed, or that was running or next when the abort came. */
  readonly step: string;
  readonly stepIndex: number;
  /** Rollbacks that threw, in the order they ran; empty when every rollback succeeded. */
  readonly rollbackFailures: readonly SagaRollbackFailure[];
  /** The run's final record; its status is `rolled_back`, or `failed` when a rollback threw. */
  readonly record: SagaRunRecord<D>;

  constructor(
    record: SagaRunRecord<D>,
    step: string,
    stepIndex: number,
    cause: unknown,
    rollbackFailures: readonly SagaRollbackFailure[],
  ) {
    const rollbackNote =
      rollbackFailures.length === 0
        ? 'every completed step was rolled back'
        : `${rollbackFailures.length} rollback(s) failed: ${rollbackFailures.map((f) => f.step).join(', ')}`;
    super(
      `Saga "${record.saga}" run ${record.runId}: step "${step}" failed (${describeError(cause)}); ${rollbackNote}`,
      { cause },
    );
    this.saga = record.saga;
    this.runId = record.runId;
    this.step = step;
    this.stepIndex = stepIndex;
    this.rollbackFailures = rollbackFailures;
    this.record = record;
  }
}
