/**
 * Tracing costs. {@link registerUnsubscribedBenchmarks} compares the shipped emit, with tracing
 * present but nobody subscribed, against the same emit built without the hook.
 * {@link runSubscribedLoad} drives emits as fast as it can while the real inspector agent
 * streams them to one connected WebSocket client.
 */
import { fork } from 'node:child_process';
import { createSignal, createSyncSignal } from '@sigscope/core';
import { startInspector } from '@sigscope/inspector-agent';
import { bench, do_not_optimize, group, summary } from 'mitata';
import { createListeners, createSink } from './lib/listeners.mjs';

/** Emits per burst; the driver yields to the event loop between bursts so the agent can flush. */
const BURST = 500;

/** Emits per warm-up signal and method in {@link warmUpEmitPaths}. */
const WARM_UP_EMITS = 2_000;

/**
 * Gives one build of core the emit history an app's signals give it: sync emit, tryEmit and
 * awaited async emit on signals of 1, 10 and 100 listeners, each listener its own function.
 * Call sites in core that every signal shares (the prototype `emit` loop before a listener set
 * compiles, the async loop) then have seen many listener functions, as they have in an app.
 * The unsubscribed pairs warm both builds with this, so neither compares a fresh call site
 * against one that earlier cases made megamorphic.
 *
 * @param {typeof import('@sigscope/core')} core the build to warm
 */
export async function warmUpEmitPaths(core) {
  const payload = { n: 1 };
  for (const count of [1, 10, 100]) {
    const syncSignal = core.createSyncSignal();
    const asyncSignal = core.createSignal();
    for (const listener of createListeners(count, createSink())) syncSignal.addListener(listener);
    for (const listener of createListeners(count, createSink())) asyncSignal.addListener(listener);

    for (let index = 0; index < WARM_UP_EMITS; index++) {
      do_not_optimize(syncSignal.emit(payload));
      do_not_optimize(syncSignal.tryEmit(payload));
      await asyncSignal.emit(payload);
    }
  }
}

/**
 * Registers hook-versus-no-hook pairs for sync emit (1 and 10 listeners), tryEmit (10) and
 * awaited async emit (10).
 *
 * @param {typeof import('@sigscope/core')} noHookCore core built without the tracing tests on the emit paths
 * @returns {import('./core.mjs').BenchCase[]}
 */
export function registerUnsubscribedBenchmarks(noHookCore) {
  const payload = { n: 1 };
  const cases = [];

  const variants = [
    ['sync emit, 1 listener', 1, 'emit', false],
    ['sync emit, 10 listeners', 10, 'emit', false],
    ['tryEmit, chain of 10', 10, 'tryEmit', false],
    ['async emit awaited, 10 listeners', 10, 'emit', true],
  ];

  for (const [label, count, method, isAsync] of variants) {
    const title = `tracing unsubscribed, ${label}`;
    const entries = [];
    group(title, () => {
      summary(() => {
        for (const [variant, core, role] of [
          ['with hook (shipped)', { createSignal, createSyncSignal }, 'ours'],
          ['without hook', noHookCore, 'floor'],
        ]) {
          const signal = isAsync ? core.createSignal() : core.createSyncSignal();
          for (const listener of createListeners(count, createSink())) signal.addListener(listener);
          const name = `${title}: ${variant}`;
          if (isAsync) {
            bench(name, async () => {
              await signal[method](payload);
            });
          } else {
            bench(name, () => void do_not_optimize(signal[method](payload)));
          }
          entries.push({ name, label: variant, role });
        }
      });
    });
    cases.push({ id: `unsubscribed-${method}-${count}${isAsync ? '-async' : ''}`, title, entries });
  }

  return cases;
}

function nextMacrotask() {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Emits on `signal` in bursts for `ms` milliseconds, yielding to the event loop after each burst.
 * Each emit gets a new payload object, as an app's emits do.
 */
async function drive(signal, ms, onSecond) {
  let emits = 0;
  const startedAt = performance.now();
  const endAt = startedAt + ms;
  let nextSecond = startedAt + 1000;

  while (performance.now() < endAt) {
    for (let index = 0; index < BURST; index++) {
      signal.emit({ orderId: emits + index, totalCents: 4200, currency: 'EUR' });
    }
    emits += BURST;
    await nextMacrotask();

    const now = performance.now();
    if (now >= nextSecond) {
      onSecond?.(emits, now - startedAt);
      nextSecond += 1000;
    }
  }

  return { emits, ms: performance.now() - startedAt };
}

function memorySample() {
  globalThis.gc?.();
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapTotal, heapUsed, external, arrayBuffers };
}

/** Starts the subscriber child process and resolves once its subscribe was acknowledged. */
function startSubscriber(url) {
  const child = fork(new URL('./lib/ws-subscriber.mjs', import.meta.url), [url], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const subscribed = new Promise((resolve, reject) => {
    child.on('message', (message) => {
      if (message.type === 'subscribed') resolve();
      else if (message.type === 'error') reject(new Error(`ws-subscriber: ${message.message}`));
    });
    child.once('exit', (code) => reject(new Error(`ws-subscriber exited with code ${code}`)));
  });
  const stop = () =>
    new Promise((resolve, reject) => {
      child.on('message', (message) => {
        if (message.type === 'counts') resolve(message.counts);
      });
      child.once('exit', (code) => reject(new Error(`ws-subscriber exited with code ${code}`)));
      child.send('stop');
    });
  return { subscribed, stop, child };
}

/**
 * Measures emits per second without tracing, then with the inspector agent recording and
 * streaming to one subscribed client, for `seconds` each phase (the untraced phase is capped at
 * 10 s). Memory is sampled after a warm-up of a tenth of the run (2 to 10 s) and at the end,
 * each after a full GC when node runs with --expose-gc.
 *
 * @param {{ seconds: number, log?: (line: string) => void }} options
 */
export async function runSubscribedLoad({ seconds, log = () => {} }) {
  const listenerCount = 1;
  const sink = createSink();
  const signal = createSyncSignal({ name: 'bench.load' });
  for (const listener of createListeners(listenerCount, sink)) signal.addListener(listener);

  const untracedMs = Math.min(seconds, 10) * 1000;
  log(`tracing: untraced phase, ${untracedMs / 1000} s`);
  await drive(signal, 1000);
  const untraced = await drive(signal, untracedMs);

  const inspector = await startInspector({ port: 0, appName: 'sigscope-bench' });
  const wsUrl = `ws://127.0.0.1:${inspector.port}/ws?token=${inspector.token}`;
  const subscriber = startSubscriber(wsUrl);
  try {
    await subscriber.subscribed;

    const warmupMs = Math.min(Math.max(seconds * 100, 2000), 10_000);
    log(`tracing: subscribed phase, ${seconds} s after ${warmupMs / 1000} s of warm-up`);
    await drive(signal, warmupMs);
    const statsAtStart = inspector.stats();
    const memoryAtStart = memorySample();

    const perSecond = [];
    let lastEmits = 0;
    let lastMs = 0;
    const traced = await drive(signal, seconds * 1000, (emits, ms) => {
      const { heapTotal, heapUsed, rss, external } = process.memoryUsage();
      perSecond.push({
        emitsPerSecond: ((emits - lastEmits) / (ms - lastMs)) * 1000,
        heapTotal,
        heapUsed,
        rss,
        external,
      });
      lastEmits = emits;
      lastMs = ms;
    });

    inspector.flush();
    const statsAtEnd = inspector.stats();
    const memoryAtEnd = memorySample();
    const clientCounts = await subscriber.stop();

    const untracedRate = (untraced.emits / untraced.ms) * 1000;
    const tracedRate = (traced.emits / traced.ms) * 1000;
    const events = statsAtEnd.totalEvents - statsAtStart.totalEvents;
    const overflow = statsAtEnd.dropped.overflow - statsAtStart.dropped.overflow;
    const slowClient = statsAtEnd.dropped.slowClient - statsAtStart.dropped.slowClient;
    const rates = perSecond.map((sample) => sample.emitsPerSecond).sort((a, b) => a - b);

    return {
      seconds,
      listeners: listenerCount,
      untraced: { emits: untraced.emits, ms: untraced.ms, emitsPerSecond: untracedRate },
      traced: {
        emits: traced.emits,
        ms: traced.ms,
        emitsPerSecond: tracedRate,
        minSecondEmitsPerSecond: rates[0] ?? tracedRate,
        medianSecondEmitsPerSecond: rates[Math.floor(rates.length / 2)] ?? tracedRate,
      },
      overheadNsPerEmit: 1e9 / tracedRate - 1e9 / untracedRate,
      agent: {
        events,
        eventsPerEmit: events / traced.emits,
        dropped: { overflow, slowClient, evictedFromRingBuffer: statsAtEnd.dropped.evicted },
        bufferBytes: statsAtEnd.buffer.bytes,
        captureStoreBytes: statsAtEnd.captureStoreBytes,
      },
      client: clientCounts,
      memory: {
        start: memoryAtStart,
        end: memoryAtEnd,
        maxRss: Math.max(memoryAtStart.rss, memoryAtEnd.rss, ...perSecond.map((s) => s.rss)),
        maxExternal: Math.max(...perSecond.map((s) => s.external), memoryAtEnd.external),
        perSecond,
      },
      sink: sink.value,
    };
  } finally {
    subscriber.child.kill();
    await inspector.stop();
  }
}
