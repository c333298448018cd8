// Runs every core test a second time with tracing on: a subscriber checks each event, and
// async causality is enabled, so the suite proves that tracing never changes what signals do.
import { afterAll, afterEach } from 'vitest';
import { type TraceEvent, traceChannel } from '../../src/index.js';
import { enableAsyncCausality } from '../../src/node.js';

const EMIT_EVENT_TYPES = new Set([
  'listener.started',
  'listener.finished',
  'listener.failed',
  'chain.finished',
  'emit.finished',
]);

const startedEmits = new Set<number>();
const problems: string[] = [];

function checkEvent(event: TraceEvent): void {
  if (typeof event !== 'object' || event === null) {
    problems.push(`trace event is not an object: ${String(event)}`);
    return;
  }
  if (typeof event.type !== 'string' || event.type.length === 0) {
    problems.push(`trace event without a type: ${JSON.stringify(Object.keys(event))}`);
  }
  if (typeof event.ts !== 'number' || !Number.isFinite(event.ts) || event.ts <= 0) {
    problems.push(`${event.type}: "ts" is not a positive finite number: ${String(event.ts)}`);
  }
  if ('durationMs' in event && event.durationMs !== undefined && !(event.durationMs >= 0)) {
    problems.push(`${event.type}: "durationMs" is negative or NaN: ${String(event.durationMs)}`);
  }

  if (event.type === 'emit.started') {
    if (startedEmits.has(event.emitId)) problems.push(`emit ${event.emitId} started twice`);
    startedEmits.add(event.emitId);
  } else if (EMIT_EVENT_TYPES.has(event.type) && 'emitId' in event) {
    if (!startedEmits.has(event.emitId)) {
      problems.push(`${event.type} for emit ${event.emitId}, which never started`);
    }
  }
}

const disableAsyncCausality = enableAsyncCausality();
traceChannel.subscribe(checkEvent, {
  onError: (error, event) => problems.push(`checking ${event.type} threw: ${String(error)}`),
});

afterEach(() => {
  if (problems.length === 0) return;

  const found = problems.splice(0);
  throw new Error(`malformed trace events:\n${found.join('\n')}`);
});

afterAll(() => {
  traceChannel.unsubscribe(checkEvent);
  disableAsyncCausality();
});
