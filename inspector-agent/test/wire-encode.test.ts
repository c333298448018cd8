import { describe, expect, it } from 'vitest';
import type { WireTraceEvent } from '../src/protocol.js';
import { encodeRecordedEvent } from '../src/wire-encode.js';

const ts = 1_796_416_772_232.978;

const events: WireTraceEvent[] = [
  { type: 'listener.started', ts, emitId: 3, signalId: 1, listenerId: 2, index: 0 },
  {
    type: 'listener.finished',
    ts,
    emitId: 3,
    signalId: 1,
    listenerId: 2,
    index: 0,
    durationMs: 0.453659000000016,
  },
  {
    type: 'emit.finished',
    ts,
    emitId: 3,
    signalId: 1,
    durationMs: 1.0151930000000107,
    failures: 0,
  },
  {
    type: 'emit.started',
    ts,
    emitId: 3,
    parentEmitId: undefined,
    signalId: 1,
    signalName: 'orders "placed"',
    mode: 'sync',
    payload: { preview: 'é', bytes: 3 },
    listenerIds: [2],
    replayOf: undefined,
  },
  { type: 'signal.reset', ts, signalId: 1, removed: 2 },
];

describe('encodeRecordedEvent()', () => {
  it.each(events.map((event) => [event.type, event]))(
    'matches JSON.stringify for %s',
    (_, event) => {
      expect(encodeRecordedEvent(41, event)).toBe(JSON.stringify({ seq: 41, event }));
    },
  );

  it('writes NaN and Infinity as null', () => {
    const event: WireTraceEvent = {
      type: 'emit.finished',
      ts: Number.POSITIVE_INFINITY,
      emitId: 3,
      signalId: 1,
      durationMs: Number.NaN,
      failures: 0,
    };

    expect(encodeRecordedEvent(1, event)).toBe(JSON.stringify({ seq: 1, event }));
  });
});
