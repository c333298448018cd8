/**
 * A small app for the first-render benchmark: 500 signals with 4 listeners each (2000 in all),
 * an inspector agent on a free port, and one JSON line {url} on stdout. Runs until killed.
 */
import { createSignal, createSyncSignal } from '@sigscope/core';
import { startInspector } from '@sigscope/inspector-agent';

export const GRAPH_SIGNALS = 500;
export const GRAPH_LISTENERS_PER_SIGNAL = 4;

const signals = [];
for (let index = 0; index < GRAPH_SIGNALS; index++) {
  const options = { name: `graph.signal.${index}` };
  const signal = index % 2 === 0 ? createSyncSignal(options) : createSignal(options);
  for (let listener = 0; listener < GRAPH_LISTENERS_PER_SIGNAL; listener++) {
    signal.addListener(() => {}, `listener-${listener}`);
  }
  signals.push(signal);
}

const inspector = await startInspector({ port: 0, appName: 'sigscope-bench-graph' });
console.log(JSON.stringify({ url: inspector.url, signals: signals.length }));

// The agent's server does not keep the process alive by itself.
setInterval(() => {}, 60_000);
