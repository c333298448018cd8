import { checkContext } from './signal/arguments.js';
import { AsyncSignal, SyncSignal } from './signal.js';
import { describeValue, lookupTraceable } from './trace/channel.js';
import type { Context, EmitMode } from './types.js';

/** The reason code of a {@link ReplayError}. */
export type ReplayErrorCode = 'signal_gone' | 'invalid_mode';

/** The error {@link experimental_replayEmit} rejects with; `code` is stable. */
export class ReplayError extends Error {
  override readonly name = 'ReplayError';
  readonly code: ReplayErrorCode;

  constructor(code: ReplayErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Options for {@link experimental_replayEmit}. */
export interface ReplayEmitOptions {
  /** The `emitId` of the recorded emit; the new `emit.started` event carries it as `replayOf`. */
  readonly replayOf: number;
  /**
   * How to emit: `'async'` or `'sync'` calls `emit`, `'try'` calls a sync signal's `tryEmit`.
   * `'try'` on an async signal is invalid.
   */
  readonly mode: EmitMode;
  /** The context the listeners receive. @default a shared, frozen empty object */
  readonly ctx?: Context;
}

/** The outcome of a replayed emit. */
export interface ReplayEmitResult {
  /** The new emit's id, as its trace events carry it. */
  readonly emitId: number;
  /** The error `tryEmit` rejected with, or `undefined`; always `undefined` for `emit`. */
  readonly error: unknown;
}

/**
 * Emits `payload` again on the live signal whose trace id is `signalId`, for an inspector's
 * replay. The emit is always traced (its events reach any subscriber) and its `emit.started`
 * names `replayOf`. Resolves once the emit finished; a failing `tryEmit` resolves with its
 * error instead of rejecting.
 *
 * Unstable: the inspector agent is its only intended caller.
 *
 * @throws {ReplayError} (as a rejection) with `code` `'signal_gone'` when no live signal has
 *   `signalId`, or `'invalid_mode'` when `mode` is unknown or `'try'` on an async signal
 * @throws {TypeError} (as a rejection) when an argument has the wrong type
 */
export async function experimental_replayEmit(
  signalId: number,
  payload: unknown,
  options: ReplayEmitOptions,
): Promise<ReplayEmitResult> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `experimental_replayEmit: "options" must be { replayOf, mode, ctx? }, received ${describeValue(options)}`,
    );
  }
  if (typeof options.replayOf !== 'number') {
    throw new TypeError(
      `experimental_replayEmit: "options.replayOf" must be the recorded emitId, received ${describeValue(options.replayOf)}`,
    );
  }
  const ctx = checkContext(options.ctx, 'experimental_replayEmit');
  const { mode, replayOf } = options;

  const signal = typeof signalId === 'number' ? lookupTraceable(signalId) : undefined;
  if (!(signal instanceof AsyncSignal) && !(signal instanceof SyncSignal)) {
    throw new ReplayError(
      'signal_gone',
      `experimental_replayEmit: no live signal has id ${describeValue(signalId)}; it was collected or never existed`,
    );
  }

  if (mode !== 'async' && mode !== 'sync' && mode !== 'try') {
    throw new ReplayError(
      'invalid_mode',
      `experimental_replayEmit: "options.mode" must be 'async', 'sync' or 'try', received ${describeValue(mode)}`,
    );
  }

  if (signal instanceof AsyncSignal) {
    if (mode === 'try') {
      throw new ReplayError(
        'invalid_mode',
        `experimental_replayEmit: mode 'try' needs a sync signal, but "${signal.name}" is async; use 'async'`,
      );
    }
    const { emitId, promise } = signal.emitTraced(payload, ctx, replayOf);
    await promise;
    return { emitId, error: undefined };
  }

  const { emitId, promise } = signal.emitTraced(payload, ctx, mode === 'try', replayOf);
  try {
    await promise;
    return { emitId, error: undefined };
  } catch (error) {
    return { emitId, error };
  }
}
