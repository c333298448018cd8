/**
 * Tracks deliveries that listeners saw before, so that an emit the inspector replays shows up in
 * the shop's state. Each payload carries a unique `eventId`, so the shop's listeners are
 * idempotent. A listener that receives an id again records a replay here instead of acting twice.
 * The notifications listener is the exception: it sends the email again, marked as a replay.
 */
import type { Context } from '@sigscope/core';

/** One replayed delivery as `GET /api/state` lists it. */
export interface ReplayRecord {
  readonly signal: string;
  readonly listener: string;
  readonly eventId: string;
  /** The inspector's recorded emit this replays, when the context carried it. */
  readonly replayOf: number | undefined;
  readonly at: string;
}

export interface ReplaySummary {
  readonly total: number;
  readonly bySignal: Readonly<Record<string, number>>;
  /** The newest records, oldest first. */
  readonly recent: readonly ReplayRecord[];
}

/** Options for {@link ReplayLog}. */
export interface ReplayLogOptions {
  /**
   * Event ids remembered per listener. Older ids are forgotten, so a replay of a very old emit
   * counts as a first delivery.
   * @default 10000
   */
  readonly maxRememberedIds?: number;
  /** @default 50 */
  readonly maxRecentRecords?: number;
}

export class ReplayLog {
  readonly #maxRememberedIds: number;
  readonly #maxRecentRecords: number;
  readonly #seenByListener = new Map<string, Set<string>>();
  readonly #countBySignal = new Map<string, number>();
  readonly #recent: ReplayRecord[] = [];
  #total = 0;

  constructor(options: ReplayLogOptions = {}) {
    this.#maxRememberedIds = options.maxRememberedIds ?? 10_000;
    this.#maxRecentRecords = options.maxRecentRecords ?? 50;
  }

  /**
   * Records that `listener` received `eventId` on `signal`, and returns true when this delivery
   * is a replay: the listener saw the id before, or the context marks the emit as a replay.
   */
  checkDelivery(signal: string, listener: string, eventId: string, ctx: Context): boolean {
    const seen = this.#seenFor(listener);
    const replayOf = readReplayOf(ctx);
    const isReplay = seen.has(eventId) || replayOf !== undefined;

    seen.add(eventId);
    if (seen.size > this.#maxRememberedIds) {
      const oldest = seen.values().next().value;
      if (oldest !== undefined) seen.delete(oldest);
    }

    if (isReplay) {
      this.#record({ signal, listener, eventId, replayOf, at: new Date().toISOString() });
    }
    return isReplay;
  }

  summary(): ReplaySummary {
    return {
      total: this.#total,
      bySignal: Object.fromEntries(this.#countBySignal),
      recent: [...this.#recent],
    };
  }

  #seenFor(listener: string): Set<string> {
    let seen = this.#seenByListener.get(listener);
    if (seen === undefined) {
      seen = new Set();
      this.#seenByListener.set(listener, seen);
    }
    return seen;
  }

  #record(record: ReplayRecord): void {
    this.#total += 1;
    this.#countBySignal.set(record.signal, (this.#countBySignal.get(record.signal) ?? 0) + 1);
    this.#recent.push(record);
    if (this.#recent.length > this.#maxRecentRecords) this.#recent.shift();
  }
}

// NOTE: the inspector agent replays with an empty context, so a repeated eventId is what marks
// its replays. `ctx.replayOf` counts only for callers that set it themselves.
function readReplayOf(ctx: Context): number | undefined {
  const value = ctx.replayOf;
  return typeof value === 'number' ? value : undefined;
}
