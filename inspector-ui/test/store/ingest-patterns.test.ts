import { describe, expect, it } from 'vitest';
import { createInspectorState, ingestMessage } from '../../src/store/ingest.js';
import { patternStream } from '../fixtures/stream.js';

const state = () => patternStream().reduce(ingestMessage, createInspectorState());

describe('ingestMessage rate limiter drops', () => {
  it('counts drops per limited signal', () => {
    const limiter = state().patterns.rateLimiters.get(40)!;

    expect(limiter.dropped).toBe(2);
    expect(limiter.capacity).toBe(5);
    expect(limiter.recentDrops).toHaveLength(2);
  });

  it('counts drops on the signal node', () => {
    expect(state().graph.signals.get(40)!.dropped).toBe(2);
  });

  it('keeps only the newest drops', () => {
    const limited = patternStream().reduce(
      ingestMessage,
      createInspectorState({ patternRecentEntries: 1 }),
    );
    const limiter = limited.patterns.rateLimiters.get(40)!;

    expect(limiter.dropped).toBe(2);
    expect(limiter.recentDrops.map((drop) => drop.seq)).toEqual([2]);
  });
});

describe('ingestMessage event store appends', () => {
  it('counts appends by event type', () => {
    const store = state().patterns.eventStores.get(3)!;

    expect(store.appends).toBe(3);
    expect(store.version).toBe(3);
    expect([...store.byType]).toEqual([
      ['OrderPlaced', 2],
      ['OrderPaid', 1],
    ]);
  });

  it('counts appends on the store signal', () => {
    const current = state();

    expect(current.patterns.eventStores.get(3)!.signalId).toBe(41);
    expect(current.graph.signals.get(41)!.appended).toBe(3);
    expect(current.graph.signals.get(40)!.appended).toBe(0);
  });
});

describe('ingestMessage pattern markers', () => {
  it('adds timeline markers in order', () => {
    const markers = state()
      .emits.timeline.filter((entry) => entry.kind === 'marker')
      .map((entry) => (entry.kind === 'marker' ? entry.marker.kind : ''));

    expect(markers).toEqual([
      'ratelimiter',
      'ratelimiter',
      'eventstore',
      'eventstore',
      'eventstore',
    ]);
  });

  it('records a cancelled breaker call', () => {
    const calls = state().patterns.breakers.get(7)!.recentCalls;

    expect(calls.map((call) => call.outcome)).toEqual(['cancelled']);
  });
});

describe('ingestMessage store signal lookup', () => {
  it('finds a store signal created later', () => {
    const [hello, snapshot, events] = patternStream();
    const withoutSignal = {
      ...snapshot!,
      snapshot: {
        ...(snapshot as Extract<typeof snapshot, { type: 'snapshot' }>).snapshot,
        signals: [],
      },
    } as typeof snapshot;
    let current = [hello!, withoutSignal!, events!].reduce(ingestMessage, createInspectorState());

    expect(current.patterns.eventStores.get(3)!.signalId).toBeUndefined();

    current = ingestMessage(current, {
      type: 'events',
      backfill: false,
      events: [
        {
          seq: 100,
          event: {
            type: 'signal.created',
            ts: 0,
            signalId: 41,
            name: 'order-events.appended',
            kind: 'async',
            owner: { kind: 'event-store', name: 'order-events' },
          },
        },
        {
          seq: 101,
          event: {
            type: 'eventstore.appended',
            ts: 1,
            storeId: 3,
            name: 'order-events',
            version: 4,
            eventType: 'OrderShipped',
            payload: undefined,
          },
        },
      ],
    });

    expect(current.patterns.eventStores.get(3)!.signalId).toBe(41);
    expect(current.graph.signals.get(41)!.appended).toBe(1);
  });
});
