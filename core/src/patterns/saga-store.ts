import type { SagaStatus } from '../trace/events.js';
import { checkInteger } from './internal.js';

/**
 * A step's status within one run. `failed` is final for the step; `rollback_failed` means its
 * rollback threw after it had completed.
 */
export type SagaStepStatus =
  | 'pending'
  | 'executing'
  | 'completed'
  | 'failed'
  | 'rolling_back'
  | 'rolled_back'
  | 'rollback_failed';

/** One step's progress within a run. */
export interface SagaStepRecord {
  readonly name: string;
  readonly status: SagaStepStatus;
  /** Attempts of `execute` so far; 0 before the step starts. */
  readonly attempts: number;
  /** The last error of `execute` or `rollback`, or `undefined`. */
  readonly error: unknown;
}

/** The state of one saga run, as the store saves it after every step. */
export interface SagaRunRecord<D> {
  /** Process-wide unique id of the run. */
  readonly runId: number;
  /** The saga's name. */
  readonly saga: string;
  readonly status: SagaStatus;
  /** The data passed to `run`, by reference: steps may write into it. */
  readonly data: D;
  /** One record per step, in step order. */
  readonly steps: readonly SagaStepRecord[];
  /** Milliseconds since the Unix epoch. */
  readonly startedAt: number;
  /** Milliseconds since the Unix epoch; `undefined` while the run is in progress. */
  readonly finishedAt: number | undefined;
  /** The error that stopped the run, or `undefined`. */
  readonly error: unknown;
}

/**
 * Persistence for saga runs. The saga awaits `save` after the run starts, after every step,
 * after every rollback and when the run ends. Implement it over a database to resume or audit
 * runs after a crash.
 */
export interface SagaStore<D> {
  save(record: SagaRunRecord<D>): void | Promise<void>;
  load(runId: number): SagaRunRecord<D> | undefined | Promise<SagaRunRecord<D> | undefined>;
}

/** Options for {@link InMemorySagaStore}. */
export interface InMemorySagaStoreOptions {
  /** Runs kept; saving a new run beyond this drops the oldest. @default 1000 */
  readonly maxRuns?: number;
}

/**
 * The default {@link SagaStore}: keeps the latest record of the most recent `maxRuns` runs in
 * memory. It copies the record and its step list; `data` stays a reference.
 */
export class InMemorySagaStore<D> implements SagaStore<D> {
  readonly maxRuns: number;
  readonly #records = new Map<number, SagaRunRecord<D>>();

  constructor(options: InMemorySagaStoreOptions = {}) {
    this.maxRuns = checkInteger(
      'new InMemorySagaStore',
      'maxRuns',
      options.maxRuns ?? 1000,
      1,
      'Pass how many runs to keep, such as 1000.',
    );
  }

  save(record: SagaRunRecord<D>): void {
    this.#records.delete(record.runId);
    this.#records.set(record.runId, copyRecord(record));

    if (this.#records.size > this.maxRuns) {
      const oldest = this.#records.keys().next().value;
      if (oldest !== undefined) this.#records.delete(oldest);
    }
  }

  load(runId: number): SagaRunRecord<D> | undefined {
    const record = this.#records.get(runId);
    return record === undefined ? undefined : copyRecord(record);
  }

  /** How many runs the store holds. */
  get size(): number {
    return this.#records.size;
  }
}

/** Copies a run record and its step records; `data` and errors stay references. */
export function copyRecord<D>(record: SagaRunRecord<D>): SagaRunRecord<D> {
  return { ...record, steps: record.steps.map((step) => ({ ...step })) };
}
