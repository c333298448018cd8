/**
 * Picks the chains and saga runs the views render: newest first, up to a limit, optionally only
 * the ones that went wrong, and always the one a link opened.
 */
import type { TimelineFilters } from './filters.js';
import type { EmitRecord, EmitSlice, SagaRunRecord, SagaStatus } from './model.js';

export interface ChainListOptions {
  /** Keep only chains whose outcome is `failed` or `aborted`. */
  readonly failedOnly: boolean;
  /** Chains returned at most, the linked one aside. */
  readonly limit: number;
  /** A chain to include whatever the filters and the limit, such as one a timeline row opened. */
  readonly linkedEmitId: number | undefined;
}

/** Returns whether a `tryEmit` chain failed or was aborted. A chain still running returns false. */
export function isFailedChain(emit: EmitRecord): boolean {
  return emit.chain !== undefined && emit.chain.outcome !== 'ok';
}

/**
 * Returns the `tryEmit` chains to show, newest first. The graph selection (`signalId`,
 * `listenerId`) narrows them as it narrows the timeline.
 */
export function visibleChains(
  emits: EmitSlice,
  filters: Pick<TimelineFilters, 'signalId' | 'listenerId'>,
  options: ChainListOptions,
): EmitRecord[] {
  const chains: EmitRecord[] = [];
  let linkedFound = options.linkedEmitId === undefined;
  for (let index = emits.chainIds.length - 1; index >= 0; index--) {
    if (chains.length >= options.limit && linkedFound) break;

    const emit = emits.byId.get(emits.chainIds[index]!);
    if (!emit) continue;

    if (emit.emitId === options.linkedEmitId) {
      linkedFound = true;
      chains.push(emit);
      continue;
    }
    if (chains.length >= options.limit) continue;
    if (filters.signalId !== undefined && emit.signalId !== filters.signalId) continue;
    if (
      filters.listenerId !== undefined &&
      !emit.spans.some((span) => span.listenerId === filters.listenerId)
    ) {
      continue;
    }
    if (options.failedOnly && !isFailedChain(emit)) continue;
    chains.push(emit);
  }
  return chains;
}

/** Saga run statuses the "rolled back or failed" filter keeps. */
const problemStatuses: ReadonlySet<SagaStatus> = new Set(['rolled_back', 'rolling_back', 'failed']);

export interface RunListOptions {
  /** Keep only runs that are rolling back, rolled back or failed. */
  readonly problemsOnly: boolean;
  /** Runs returned at most, the linked one aside. */
  readonly limit: number;
  /** A run to include whatever the filter and the limit, such as one a timeline row opened. */
  readonly linkedRunId: number | undefined;
}

/** Returns the saga runs to show, newest first. `runs` is in start order, as the reducer keeps it. */
export function visibleRuns(
  runs: Iterable<SagaRunRecord>,
  options: RunListOptions,
): SagaRunRecord[] {
  const all = [...runs];
  const result: SagaRunRecord[] = [];
  let linkedFound = options.linkedRunId === undefined;
  for (let index = all.length - 1; index >= 0; index--) {
    if (result.length >= options.limit && linkedFound) break;

    const run = all[index]!;
    if (run.runId === options.linkedRunId) {
      linkedFound = true;
      result.push(run);
      continue;
    }
    if (result.length >= options.limit) continue;
    if (options.problemsOnly && !problemStatuses.has(run.status)) continue;
    result.push(run);
  }
  return result;
}
