import { createSyncSignal, type TraceEvent, traceChannel } from '@sigscope/core';

const onTrace = (event: TraceEvent) => {
  if (event.type === 'snapshot') console.log(`snapshot of ${event.signals.length} signals`);
  if (event.type === 'listener.failed') console.log(`listener ${event.index} failed`);
  if (event.type === 'chain.finished') console.log(`chain ${event.outcome}`);
};
traceChannel.subscribe(onTrace); // first delivers a `snapshot` of everything alive

const audit = createSyncSignal<string>({ name: 'audit' });
audit.addListener(() => {
  throw new Error('disk full');
}, 'write');
await audit.tryEmit('login').catch(() => {});

traceChannel.unsubscribe(onTrace);
