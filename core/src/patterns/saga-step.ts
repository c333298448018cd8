import { describeValue } from '../trace/channel.js';
import type { Context } from '../types.js';
import { checkFinite, checkInteger, checkName } from './internal.js';

/** One step of a saga, as `new Saga({ steps })` takes it. */
export interface SagaStep<D> {
  /** Unique within the saga. */
  readonly name: string;
  /** The forward operation. It fails by throwing or rejecting. */
  execute(data: D, ctx: Context): unknown;
  /** Undoes a completed `execute` when a later critical step fails. */
  rollback?(data: D, ctx: Context): unknown;
  /**
   * Milliseconds each attempt of `execute`, and the `rollback`, may take before it fails with a
   * TimeoutError and its `ctx.signal` aborts. @default undefined (no timeout)
   */
  readonly timeoutMs?: number;
  /** Extra attempts after the first, for idempotent steps with transient errors. @default 0 */
  readonly retries?: number;
  /** A critical step's failure rolls the saga back; any other is recorded and skipped. @default true */
  readonly critical?: boolean;
  /** Whether `execute` is safe to run again; only idempotent steps are retried. @default false */
  readonly idempotent?: boolean;
}

/** Details of the failed attempt, passed to the saga's `shouldRetry` option. */
export interface SagaRetryInfo {
  readonly step: string;
  readonly index: number;
  /** The attempt that failed, 1 for the first. */
  readonly attempt: number;
}

/** Decides whether an error is transient, so that an idempotent step may try again. */
export type SagaShouldRetry = (error: unknown, info: SagaRetryInfo) => boolean;

const PROGRAMMING_ERRORS = ['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError'];

/**
 * Returns whether `error` is transient, as the default {@link SagaShouldRetry}. Every error is,
 * except an `AbortError` and the built-in programming errors (`TypeError`, `RangeError`,
 * `ReferenceError`, `SyntaxError`), which a retry would not fix. A `TimeoutError` from
 * `timeoutMs` is transient.
 */
export function defaultShouldRetry(error: unknown): boolean {
  if (!(error instanceof Error) && !(error instanceof DOMException)) return true;
  if (error.name === 'AbortError') return false;

  return !PROGRAMMING_ERRORS.includes(error.name);
}

/** A step after validation, with defaults applied. */
export interface NormalizedStep<D> {
  readonly name: string;
  readonly execute: (data: D, ctx: Context) => unknown;
  readonly rollback: ((data: D, ctx: Context) => unknown) | undefined;
  readonly timeoutMs: number | undefined;
  readonly retries: number;
  readonly critical: boolean;
  readonly idempotent: boolean;
}

/** Validates the `steps` option and applies the step defaults. */
export function normalizeSteps<D>(steps: unknown): NormalizedStep<D>[] {
  const where = 'new Saga';
  if (!Array.isArray(steps) || steps.length === 0) {
    throw new TypeError(
      `${where}: "steps" must be a non-empty array of steps, received ${describeValue(steps)}. Pass [{ name, execute, rollback? }, ...].`,
    );
  }

  const seen = new Set<string>();
  return steps.map((raw: unknown, index) => {
    const at = `steps[${index}]`;
    if (typeof raw !== 'object' || raw === null) {
      throw new TypeError(
        `${where}: "${at}" must be an object { name, execute }, received ${describeValue(raw)}.`,
      );
    }
    const step = raw as SagaStep<D>;
    const name = checkName(where, `${at}.name`, step.name, 'Give every step a unique name.');
    if (seen.has(name)) {
      throw new TypeError(
        `${where}: "${at}.name" repeats the step name "${name}". Give every step a unique name.`,
      );
    }
    seen.add(name);

    if (typeof step.execute !== 'function') {
      throw new TypeError(
        `${where}: "${at}.execute" must be a function, received ${describeValue(step.execute)}.`,
      );
    }
    if (step.rollback !== undefined && typeof step.rollback !== 'function') {
      throw new TypeError(
        `${where}: "${at}.rollback" must be a function or undefined, received ${describeValue(step.rollback)}.`,
      );
    }
    for (const flag of ['critical', 'idempotent'] as const) {
      if (step[flag] !== undefined && typeof step[flag] !== 'boolean') {
        throw new TypeError(
          `${where}: "${at}.${flag}" must be a boolean, received ${describeValue(step[flag])}.`,
        );
      }
    }

    return {
      name,
      execute: step.execute.bind(step),
      rollback: step.rollback?.bind(step),
      timeoutMs:
        step.timeoutMs === undefined
          ? undefined
          : checkFinite(
              where,
              `${at}.timeoutMs`,
              step.timeoutMs,
              0,
              'Pass milliseconds greater than 0, or omit it.',
              true,
            ),
      retries: checkInteger(
        where,
        `${at}.retries`,
        step.retries ?? 0,
        0,
        'Pass how many extra attempts to allow, such as 2.',
      ),
      critical: step.critical ?? true,
      idempotent: step.idempotent ?? false,
    };
  });
}
