import type { ListenerRecord } from './model.js';

/** Duration percentiles and error rate of one listener, over its recent samples. */
export interface ListenerStats {
  readonly calls: number;
  readonly failures: number;
  /** Failures over calls, from 0 to 1; 0 before the first call. */
  readonly errorRate: number;
  /** Milliseconds, or undefined before the first call. */
  readonly p50: number | undefined;
  readonly p99: number | undefined;
}

/** Returns the `q` quantile (0 to 1) of ascending `sorted` by the nearest-rank method. */
export function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;

  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}

const cache = new WeakMap<ListenerRecord, { calls: number; stats: ListenerStats }>();

/** Computes a listener's stats, cached until its call count changes. */
export function listenerStats(listener: ListenerRecord): ListenerStats {
  const cached = cache.get(listener);
  if (cached && cached.calls === listener.calls) return cached.stats;

  const sorted = [...listener.durations].sort((a, b) => a - b);
  const stats: ListenerStats = {
    calls: listener.calls,
    failures: listener.failures,
    errorRate: listener.calls === 0 ? 0 : listener.failures / listener.calls,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
  };
  cache.set(listener, { calls: listener.calls, stats });
  return stats;
}

/** Formats milliseconds for a badge: `0.42 ms`, `12 ms`, `1.2 s`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '–';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Formats a duration measured with a millisecond clock (`Date.now`), as breakers and sagas
 * measure theirs: 0 prints as `<1 ms`, because it means "under one tick", not "no time".
 *
 * @example
 * formatClockDuration(0); // '<1 ms'
 * formatClockDuration(12); // '12 ms'
 */
export function formatClockDuration(ms: number | undefined): string {
  if (ms === 0) return '<1 ms';
  return formatDuration(ms);
}

/**
 * Returns `count` with the noun in the singular when the count is 1, else in the plural.
 *
 * @example
 * countOf(1, 'listener'); // '1 listener'
 * countOf(3, 'trial call'); // '3 trial calls'
 */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? singular : plural}`;
}
