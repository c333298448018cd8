import { describe, expect, it } from 'vitest';
import { emptyFilters } from '../../src/store/filters.js';
import { createInspectorState, ingestMessage } from '../../src/store/ingest.js';
import type { SagaRunRecord, SagaStatus } from '../../src/store/model.js';
import { isFailedChain, visibleChains, visibleRuns } from '../../src/store/run-lists.js';
import { checkoutStream, okEmit, StreamBuilder } from '../fixtures/stream.js';

/** The checkout stream plus ok `tryEmit` chains 200 and 201 after its failed chain 102. */
function stateWithOkChains() {
  const stream = new StreamBuilder(10_000);
  for (const emitId of [200, 201]) {
    okEmit(stream, {
      emitId,
      signalId: 3,
      signalName: 'inventory.reserve',
      listenerIds: [],
      mode: 'try',
    });
  }
  return [...checkoutStream().messages, stream.batch()].reduce(
    ingestMessage,
    createInspectorState(),
  );
}

const chainOptions = { failedOnly: false, limit: 100, linkedEmitId: undefined };

describe('visibleChains', () => {
  const state = stateWithOkChains();

  it('lists chains newest first', () => {
    const ids = visibleChains(state.emits, emptyFilters, chainOptions).map((emit) => emit.emitId);

    expect(ids).toEqual([201, 200, 102]);
  });

  it('keeps only failed chains', () => {
    const chains = visibleChains(state.emits, emptyFilters, { ...chainOptions, failedOnly: true });

    expect(chains.map((emit) => emit.emitId)).toEqual([102]);
    expect(chains.every(isFailedChain)).toBe(true);
  });

  it('stops at the limit', () => {
    const ids = visibleChains(state.emits, emptyFilters, { ...chainOptions, limit: 1 }).map(
      (emit) => emit.emitId,
    );

    expect(ids).toEqual([201]);
  });

  it('adds the linked chain past the limit and filters', () => {
    const ids = visibleChains(state.emits, emptyFilters, {
      failedOnly: true,
      limit: 0,
      linkedEmitId: 200,
    }).map((emit) => emit.emitId);

    expect(ids).toEqual([200]);
  });
});

function run(runId: number, status: SagaStatus): SagaRunRecord {
  return {
    runId,
    sagaId: 1,
    name: 'fulfil-order',
    startedAt: runId,
    data: undefined,
    status,
    durationMs: 0,
    error: undefined,
    steps: [],
    rollbacks: [],
  };
}

describe('visibleRuns', () => {
  const runs = [
    run(1, 'completed'),
    run(2, 'rolled_back'),
    run(3, 'failed'),
    run(4, 'completed'),
    run(5, 'rolling_back'),
  ];
  const ids = (list: SagaRunRecord[]) => list.map((entry) => entry.runId);

  it('lists runs newest first', () => {
    expect(
      ids(visibleRuns(runs, { problemsOnly: false, limit: 10, linkedRunId: undefined })),
    ).toEqual([5, 4, 3, 2, 1]);
  });

  it('keeps rolled back and failed runs', () => {
    expect(
      ids(visibleRuns(runs, { problemsOnly: true, limit: 10, linkedRunId: undefined })),
    ).toEqual([5, 3, 2]);
  });

  it('adds the linked run past the limit', () => {
    expect(ids(visibleRuns(runs, { problemsOnly: true, limit: 1, linkedRunId: 1 }))).toEqual([
      5, 1,
    ]);
  });
});
