import type { CausalityTracker } from '../trace/channel.js';
import { getCausalityTracker, nextTraceId, publish, traceNow } from '../trace/channel.js';
import type { EmitMode } from '../types.js';
import type { ListenerEntry, SignalBase } from './base.js';

/**
 * Publishes the trace events of one emit. Only traced emits create one; it publishes even if
 * the last subscriber leaves mid-emit (publishing without subscribers is a no-op), so a subscriber never
 * sees half an emit end.
 */
export class EmitTrace {
  readonly emitId = nextTraceId();
  readonly #signalId: number;
  readonly #entries: readonly ListenerEntry[];
  readonly #tracker: CausalityTracker;
  readonly #startedAt = performance.now();
  readonly #listenerStartedAt: number[] = [];
  #failures = 0;

  constructor(
    signal: SignalBase<unknown>,
    entries: readonly ListenerEntry[],
    mode: EmitMode,
    payload: unknown,
    replayOf: number | undefined,
  ) {
    this.#signalId = signal.signalId;
    this.#entries = entries;
    this.#tracker = getCausalityTracker();

    publish({
      type: 'emit.started',
      ts: traceNow(),
      emitId: this.emitId,
      parentEmitId: this.#tracker.current(),
      signalId: signal.signalId,
      signalName: signal.name,
      mode,
      payload,
      listenerIds: entries.map((entry) => entry.listenerId),
      replayOf,
    });
  }

  /** Calls listener `index` with this emit as the current one, so nested emits name it. */
  call<T>(
    listener: (payload: T, ctx: never) => unknown,
    index: number,
    payload: T,
    ctx: object,
  ): unknown {
    this.#listenerStartedAt[index] = performance.now();
    publish({
      type: 'listener.started',
      ts: traceNow(),
      emitId: this.emitId,
      signalId: this.#signalId,
      listenerId: this.#entries[index]!.listenerId,
      index,
    });

    return this.#tracker.run(this.emitId, () => listener(payload, ctx as never));
  }

  listenerFinished(index: number): void {
    publish({
      type: 'listener.finished',
      ts: traceNow(),
      emitId: this.emitId,
      signalId: this.#signalId,
      listenerId: this.#entries[index]!.listenerId,
      index,
      durationMs: this.#listenerDuration(index),
    });
  }

  listenerFailed(index: number, error: unknown): void {
    this.#failures++;
    publish({
      type: 'listener.failed',
      ts: traceNow(),
      emitId: this.emitId,
      signalId: this.#signalId,
      listenerId: this.#entries[index]!.listenerId,
      index,
      durationMs: this.#listenerDuration(index),
      error,
    });
  }

  /**
   * Publishes `chain.finished` for a `tryEmit`. `failedIndex` is the failing listener, or the
   * one pending when the abort came; `firstSkipped` is the first listener that never ran.
   */
  chainFinished(
    outcome: 'ok' | 'failed' | 'aborted',
    failedIndex: number | undefined,
    firstSkipped: number,
    error: unknown,
  ): void {
    const failed = failedIndex === undefined ? undefined : this.#entries[failedIndex];
    const skipped = [];
    for (let index = firstSkipped; index < this.#entries.length; index++) {
      const entry = this.#entries[index]!;
      skipped.push({ listenerId: entry.listenerId, key: entry.key, index });
    }

    publish({
      type: 'chain.finished',
      ts: traceNow(),
      emitId: this.emitId,
      signalId: this.#signalId,
      outcome,
      failedIndex,
      failedListenerId: failed?.listenerId,
      failedKey: failed?.key,
      error,
      skipped,
      durationMs: performance.now() - this.#startedAt,
    });
  }

  emitFinished(): void {
    publish({
      type: 'emit.finished',
      ts: traceNow(),
      emitId: this.emitId,
      signalId: this.#signalId,
      durationMs: performance.now() - this.#startedAt,
      failures: this.#failures,
    });
  }

  #listenerDuration(index: number): number {
    const startedAt = this.#listenerStartedAt[index];
    return startedAt === undefined ? 0 : performance.now() - startedAt;
  }
}
