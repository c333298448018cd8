import type { AgentMessage } from '@sigscope/inspector-agent/protocol';
import { describe, expect, it } from 'vitest';
import { createInspectorState, ingestMessage } from '../../src/store/ingest.js';
import { listenerStats } from '../../src/store/listener-stats.js';
import type { InspectorState } from '../../src/store/model.js';
import {
  app,
  checkoutStream,
  hello,
  okEmit,
  StreamBuilder,
  snapshotMessage,
} from '../fixtures/stream.js';

function run(messages: AgentMessage[], state = createInspectorState()): InspectorState {
  return messages.reduce(ingestMessage, state);
}

describe('ingestMessage', () => {
  it('stores app identity from hello', () => {
    const state = run([hello({ replayAllowed: false })]);

    expect(state.connection.app).toEqual(app);
    expect(state.connection.replayAllowed).toBe(false);
    expect(state.connection.recording).toBe(true);
  });

  it('builds signals and listeners from the snapshot', () => {
    const state = run(checkoutStream().messages);
    const placed = state.graph.signals.get(1)!;

    expect(placed.name).toBe('order.placed');
    expect(placed.listenerIds).toEqual([11, 12]);
    expect(state.graph.listeners.get(11)?.functionName).toBe('chargeCard');
    expect(state.graph.listeners.get(11)?.location).toBe('src/pay.ts:12:3');
  });

  it('records emits with listener spans', () => {
    const state = run(checkoutStream().messages);
    const emit = state.emits.byId.get(100)!;

    expect(emit.status).toBe('failed');
    expect(emit.spans.map((span) => span.status)).toEqual(['ok', 'failed']);
    expect(emit.spans[1]?.error?.preview).toMatchObject({ $: 'error', message: 'SMTP down' });
    expect(emit.childEmitIds).toEqual([101]);
  });

  it('learns causal edges from parentEmitId', () => {
    const state = run(checkoutStream().messages);

    expect([...state.graph.causalEdges.values()]).toEqual([
      { listenerId: 11, signalId: 2, count: 1 },
    ]);
  });

  it('marks skipped listeners of a failed chain', () => {
    const state = run(checkoutStream().messages);
    const chain = state.emits.byId.get(102)!;

    expect(state.emits.chainIds).toEqual([102]);
    expect(chain.chain?.outcome).toBe('failed');
    expect(chain.chain?.failedListenerId).toBe(32);
    expect(chain.spans.map((span) => span.status)).toEqual(['ok', 'failed', 'skipped']);
  });

  it('marks the pending listener of an aborted chain', () => {
    const stream = new StreamBuilder(1);
    stream.add({
      type: 'emit.started',
      emitId: 1,
      parentEmitId: undefined,
      signalId: 5,
      signalName: 'job.run',
      mode: 'try',
      payload: undefined,
      listenerIds: [51, 52],
      replayOf: undefined,
    });
    stream.add({ type: 'listener.started', emitId: 1, signalId: 5, listenerId: 51, index: 0 });
    stream.add({
      type: 'chain.finished',
      emitId: 1,
      signalId: 5,
      outcome: 'aborted',
      failedIndex: 0,
      failedListenerId: 51,
      failedKey: undefined,
      error: undefined,
      skipped: [{ listenerId: 52, key: undefined, index: 1 }],
      durationMs: 3,
    });
    const state = run([stream.batch()]);

    expect(state.emits.byId.get(1)?.spans.map((span) => span.status)).toEqual([
      'aborted',
      'skipped',
    ]);
  });

  it('keeps breaker state history with reasons', () => {
    const state = run(checkoutStream().messages);
    const breaker = state.patterns.breakers.get(1)!;

    expect(breaker.state).toBe('half-open');
    expect(breaker.history.map((entry) => [entry.from, entry.to, entry.reason])).toEqual([
      ['closed', 'open', '2 consecutive failures'],
      ['open', 'half-open', 'recovery timeout elapsed'],
    ]);
    expect(breaker.recentCalls.map((call) => call.outcome)).toEqual([
      'failure',
      'failure',
      'rejected',
    ]);
  });

  it('records saga attempts, retries and rollbacks', () => {
    const state = run(checkoutStream().messages);
    const saga = state.patterns.runs.get(7)!;

    expect(saga.status).toBe('rolled_back');
    expect(saga.steps.map((step) => step.status)).toEqual(['completed', 'completed', 'failed']);
    expect(saga.steps[2]?.attempts.map((attempt) => attempt.outcome)).toEqual(['retry', 'failed']);
    expect(saga.steps[2]?.attempts[0]?.retryDelayMs).toBe(100);
    expect(saga.rollbacks.map((rollback) => [rollback.step, rollback.status])).toEqual([
      ['charge', 'rolled_back'],
      ['reserve', 'rolled_back'],
    ]);
  });

  it('puts breaker and saga markers on the timeline', () => {
    const state = run(checkoutStream().messages);
    const markers = state.emits.timeline.filter((entry) => entry.kind === 'marker');

    expect(markers.filter((entry) => entry.marker.kind === 'breaker')).toHaveLength(2);
    expect(markers.some((entry) => entry.marker.kind === 'saga')).toBe(true);
  });

  it('marks replayed emits', () => {
    const state = run(checkoutStream().messages);

    expect(state.emits.byId.get(103)?.replayOf).toBe(100);
  });

  it('computes listener p50, p99 and error rate', () => {
    const stream = new StreamBuilder(1);
    for (let emitId = 1; emitId <= 100; emitId++) {
      okEmit(stream, {
        emitId,
        signalId: 1,
        signalName: 's',
        listenerIds: [11],
        durations: [emitId],
      });
    }
    const state = run([
      snapshotMessage({
        signals: [
          {
            signalId: 1,
            name: 's',
            kind: 'sync',
            owner: undefined,
            listeners: [{ listenerId: 11, key: undefined, functionName: 'f', location: undefined }],
          },
        ],
      }),
      stream.batch(),
    ]);
    const stats = listenerStats(state.graph.listeners.get(11)!);

    expect(stats.calls).toBe(100);
    expect(stats.p50).toBe(50);
    expect(stats.p99).toBe(99);
    expect(stats.errorRate).toBe(0);
  });

  it('skips events at or below lastSeq', () => {
    const { messages } = checkoutStream();
    const once = run(messages);
    const twice = run([messages[2]!], once);

    expect(twice.emits.timeline.length).toBe(once.emits.timeline.length);
    expect(twice.lastSeq).toBe(once.lastSeq);
  });

  it('evicts the oldest emits past maxEmits', () => {
    const stream = new StreamBuilder(1);
    for (let emitId = 1; emitId <= 50; emitId++) {
      okEmit(stream, { emitId, signalId: 1, signalName: 's', listenerIds: [] });
    }
    const state = run([stream.batch()], createInspectorState({ maxEmits: 10, maxMarkers: 0 }));

    expect(state.emits.byId.size).toBe(10);
    expect(state.emits.byId.has(50)).toBe(true);
    expect(state.emits.byId.has(40)).toBe(false);
    expect(state.emits.evicted).toBe(40);
  });

  it('warns about a signal whose listeners keep growing', () => {
    const stream = new StreamBuilder(1);
    for (let listenerId = 1; listenerId <= 12; listenerId++) {
      stream.add({
        type: 'listener.added',
        signalId: 9,
        listenerId,
        key: undefined,
        functionName: 'onTick',
        location: undefined,
        index: listenerId - 1,
      });
    }
    const growing = run([stream.batch()]);

    expect(growing.graph.signals.get(9)?.leakSuspected).toBe(true);

    stream.add({ type: 'listener.removed', signalId: 9, listenerId: 1, key: undefined });
    const shrinking = run([stream.batch()], growing);

    expect(shrinking.graph.signals.get(9)?.leakSuspected).toBe(false);
  });

  it('resets recorded data when the app restarts', () => {
    const state = run(checkoutStream().messages);
    const restarted = run([hello({ app: { ...app, pid: 9999 } })], state);

    expect(restarted.emits.byId.size).toBe(0);
    expect(restarted.lastSeq).toBe(0);
    expect(restarted.connection.app?.pid).toBe(9999);
  });

  it('keeps listener statistics across a new snapshot', () => {
    const { messages, snapshot } = checkoutStream();
    const state = run(messages);
    const calls = state.graph.listeners.get(11)!.calls;
    const resnapshotted = run([snapshotMessage(snapshot, state.lastSeq)], state);

    expect(calls).toBeGreaterThan(0);
    expect(resnapshotted.graph.listeners.get(11)?.calls).toBe(calls);
  });

  it('gives only touched slices a new identity', () => {
    const state = run(checkoutStream().messages);
    const next = ingestMessage(state, {
      type: 'gap',
      fromSeq: 1,
      toSeq: 5,
      reason: 'evicted',
    });

    expect(next.gaps).toHaveLength(1);
    expect(next.graph).toBe(state.graph);
    expect(next.emits).toBe(state.emits);
  });
});
