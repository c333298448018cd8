import { afterEach } from 'vitest';
import { type TraceEvent, type TraceEventType, traceChannel } from '../../src/index.js';

/** Trace events a test subscriber received, with helpers to pick them by type. */
export interface TraceRecording {
  readonly events: TraceEvent[];
  ofType<K extends TraceEventType>(type: K): Extract<TraceEvent, { type: K }>[];
  stop(): void;
}

const active: (() => void)[] = [];

afterEach(() => {
  for (const stop of active.splice(0)) stop();
});

/** Subscribes a recording subscriber that the next `afterEach` unsubscribes. */
export function recordTrace(): TraceRecording {
  const events: TraceEvent[] = [];
  const subscriber = (event: TraceEvent) => {
    events.push(event);
  };
  traceChannel.subscribe(subscriber);

  const stop = () => {
    traceChannel.unsubscribe(subscriber);
  };
  active.push(stop);

  return {
    events,
    ofType: <K extends TraceEventType>(type: K) =>
      events.filter((event): event is Extract<TraceEvent, { type: K }> => event.type === type),
    stop,
  };
}
