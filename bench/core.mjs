/**
 * Core against its peers: emit, tryEmit, add and remove, and adding many keyed listeners.
 * {@link registerCoreBenchmarks} registers every case with mitata; run.mjs runs them together
 * with the tracing cases in one mitata run.
 */
import { EventEmitter as NodeEventEmitter } from 'node:events';
import { createSignal, createSyncSignal } from '@sigscope/core';
import Emittery from 'emittery';
import EventEmitter3 from 'eventemitter3';
import { bench, do_not_optimize, group, summary } from 'mitata';
import mitt from 'mitt';
import { createNanoEvents } from 'nanoevents';
import { EventEmitter as TseepEventEmitter } from 'tseep';
import {
  createCheapListeners,
  createDirectCaller,
  createListeners,
  createSink,
} from './lib/listeners.mjs';

/**
 * One benchmark of a case, as the report groups it.
 * @typedef {{ name: string, label: string, role: 'ours' | 'peer' | 'floor' }} CaseEntry
 * @typedef {{ id: string, title: string, entries: CaseEntry[] }} BenchCase
 */

const EVENT = 'event';
const RESOLVED = Promise.resolve();
const AsyncFunction = (async () => {}).constructor;

/** Listener counts of the emit cases. */
export const EMIT_SIZES = [1, 10, 100];
/** Listener counts of the tryEmit chains. */
export const CHAIN_SIZES = [3, 10];
/** Listener counts of the keyed-add case; the report checks that time grows linearly. */
export const BULK_ADD_SIZES = [10_000, 20_000, 40_000];

/**
 * Registers one benchmark and records it in `entries`.
 * @param {CaseEntry[]} entries
 * @param {string} caseTitle
 * @param {string} label
 * @param {CaseEntry['role']} role
 * @param {() => unknown} fn
 */
function add(entries, caseTitle, label, role, fn) {
  const name = `${caseTitle}: ${label}`;
  // mitata awaits any returned promise, and SyncSignal.emit returns one, so synchronous cases
  // hand their result to do_not_optimize instead of returning it.
  bench(name, fn instanceof AsyncFunction ? fn : () => void do_not_optimize(fn()));
  entries.push({ name, label, role });
}

/** Registers the sync emit cases: our SyncSignal.emit, five peers and two floors. */
function registerSyncEmit(count) {
  const title = `sync emit, ${count} listener${count === 1 ? '' : 's'}`;
  /** @type {CaseEntry[]} */
  const entries = [];
  const payload = { n: 1 };

  group(title, () => {
    summary(() => {
      const sigscopeSink = createSink();
      const signal = createSyncSignal({ name: `bench.sync.${count}` });
      for (const listener of createListeners(count, sigscopeSink)) signal.addListener(listener);
      add(entries, title, 'sigscope SyncSignal.emit', 'ours', () => signal.emit(payload));

      const nodeEmitter = new NodeEventEmitter();
      nodeEmitter.setMaxListeners(0);
      for (const listener of createListeners(count, createSink())) nodeEmitter.on(EVENT, listener);
      add(entries, title, 'node:events', 'peer', () => nodeEmitter.emit(EVENT, payload));

      const emitter3 = new EventEmitter3();
      for (const listener of createListeners(count, createSink())) emitter3.on(EVENT, listener);
      add(entries, title, 'eventemitter3', 'peer', () => emitter3.emit(EVENT, payload));

      const mittEmitter = mitt();
      for (const listener of createListeners(count, createSink())) mittEmitter.on(EVENT, listener);
      add(entries, title, 'mitt', 'peer', () => mittEmitter.emit(EVENT, payload));

      const tseep = new TseepEventEmitter();
      tseep.setMaxListeners(0);
      for (const listener of createListeners(count, createSink())) tseep.on(EVENT, listener);
      add(entries, title, 'tseep', 'peer', () => tseep.emit(EVENT, payload));

      const nano = createNanoEvents();
      for (const listener of createListeners(count, createSink())) nano.on(EVENT, listener);
      add(entries, title, 'nanoevents', 'peer', () => nano.emit(EVENT, payload));

      const direct = createDirectCaller(createListeners(count, createSink()));
      add(entries, title, 'floor: direct calls', 'floor', () => direct(payload));

      const loopListeners = createListeners(count, createSink());
      add(entries, title, 'floor: plain loop', 'floor', () => {
        for (let index = 0; index < loopListeners.length; index++) loopListeners[index](payload);
      });
    });
  });

  return { id: `sync-emit-${count}`, title, entries };
}

/** Registers the async emit cases: AsyncSignal.emit and emittery's emit, both awaited. */
function registerAsyncEmit(count) {
  const title = `async emit awaited, ${count} listener${count === 1 ? '' : 's'}`;
  /** @type {CaseEntry[]} */
  const entries = [];
  const payload = { n: 1 };

  group(title, () => {
    summary(() => {
      const signal = createSignal({ name: `bench.async.${count}` });
      for (const listener of createListeners(count, createSink())) signal.addListener(listener);
      add(entries, title, 'sigscope AsyncSignal.emit', 'ours', async () => {
        await signal.emit(payload);
      });

      const emittery = new Emittery();
      for (const listener of createListeners(count, createSink())) emittery.on(EVENT, listener);
      add(entries, title, 'emittery', 'peer', async () => {
        await emittery.emit(EVENT, payload);
      });

      // The least an awaited emit can cost: one microtask hop, then a plain loop.
      const loopListeners = createListeners(count, createSink());
      const runLoop = () => {
        for (let index = 0; index < loopListeners.length; index++) loopListeners[index](payload);
      };
      add(entries, title, 'floor: microtask + plain loop', 'floor', async () => {
        await RESOLVED.then(runLoop);
      });
    });
  });

  return { id: `async-emit-${count}`, title, entries };
}

/**
 * Runs `listeners` in order, stopping at the first that throws: what a caller would write by
 * hand instead of tryEmit, with the same contract for synchronous listeners.
 */
function handWrittenTryEmit(listeners, payload) {
  for (let index = 0; index < listeners.length; index++) {
    try {
      listeners[index](payload);
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return RESOLVED;
}

/** Registers tryEmit through a chain of synchronous listeners against a hand-written loop. */
function registerTryEmit(count) {
  const title = `tryEmit, chain of ${count}`;
  /** @type {CaseEntry[]} */
  const entries = [];
  const payload = { n: 1 };

  group(title, () => {
    summary(() => {
      const signal = createSyncSignal({ name: `bench.chain.${count}` });
      for (const listener of createListeners(count, createSink())) signal.addListener(listener);
      add(entries, title, 'sigscope SyncSignal.tryEmit', 'ours', () => signal.tryEmit(payload));

      const loopListeners = createListeners(count, createSink());
      add(entries, title, 'floor: hand-written loop with try/catch', 'floor', () =>
        handWrittenTryEmit(loopListeners, payload),
      );
    });
  });

  return { id: `try-emit-${count}`, title, entries };
}

/** Registers adding and removing one listener on emitters that already hold ten. */
function registerAddRemove() {
  const title = 'add + remove one listener (10 present)';
  /** @type {CaseEntry[]} */
  const entries = [];
  const present = 10;

  group(title, () => {
    summary(() => {
      const signal = createSyncSignal({ name: 'bench.add-remove' });
      for (const listener of createCheapListeners(present, createSink())) {
        signal.addListener(listener);
      }
      const [keyed] = createCheapListeners(1, createSink());
      add(entries, title, 'sigscope addListener(key) + removeListener(key)', 'ours', () => {
        signal.addListener(keyed, 'bench-key');
        return signal.removeListener('bench-key');
      });

      const nodeEmitter = new NodeEventEmitter();
      const emitter3 = new EventEmitter3();
      const mittEmitter = mitt();
      const tseep = new TseepEventEmitter();
      const nano = createNanoEvents();
      const emittery = new Emittery();
      for (const listener of createCheapListeners(present, createSink())) {
        nodeEmitter.on(EVENT, listener);
        emitter3.on(EVENT, listener);
        mittEmitter.on(EVENT, listener);
        tseep.on(EVENT, listener);
        nano.on(EVENT, listener);
        emittery.on(EVENT, listener);
      }
      const [extra] = createCheapListeners(1, createSink());

      add(entries, title, 'node:events on + off', 'peer', () =>
        nodeEmitter.on(EVENT, extra).off(EVENT, extra),
      );
      add(entries, title, 'eventemitter3 on + off', 'peer', () =>
        emitter3.on(EVENT, extra).off(EVENT, extra),
      );
      add(entries, title, 'mitt on + off', 'peer', () => {
        mittEmitter.on(EVENT, extra);
        mittEmitter.off(EVENT, extra);
      });
      add(entries, title, 'tseep on + off', 'peer', () => tseep.on(EVENT, extra).off(EVENT, extra));
      add(entries, title, 'nanoevents on + unbind', 'peer', () => nano.on(EVENT, extra)());
      add(entries, title, 'emittery on + off', 'peer', () => {
        emittery.on(EVENT, extra);
        emittery.off(EVENT, extra);
      });
    });
  });

  return { id: 'add-remove', title, entries };
}

function nextMacrotask() {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Registers adding n keyed listeners to a new signal, for each n in {@link BULK_ADD_SIZES}.
 * Listeners and keys are created before timing starts; each sample includes one setImmediate
 * wait (microseconds, against milliseconds of adds).
 */
function registerBulkAdd() {
  const title = 'add n keyed listeners to a new signal';
  /** @type {CaseEntry[]} */
  const entries = [];
  const largest = BULK_ADD_SIZES[BULK_ADD_SIZES.length - 1];
  const listeners = createCheapListeners(largest, createSink());
  const keys = listeners.map((_, index) => `key-${index}`);

  group(title, () => {
    for (const size of BULK_ADD_SIZES) {
      const name = `${title}: n = ${size}`;
      bench(name, async () => {
        const signal = createSyncSignal({ name: 'bench.bulk-add' });
        for (let index = 0; index < size; index++)
          signal.addListener(listeners[index], keys[index]);
        do_not_optimize(signal);
        // Core registers each signal through a WeakRef, and V8 keeps a WeakRef's target alive
        // until the current macrotask ends. Without this wait every signal of a mitata batch
        // stays alive, the heap grows with the batch and GC makes the figures superlinear.
        await nextMacrotask();
      }).gc('inner');
      entries.push({ name, label: `n = ${size}`, role: 'ours' });
    }
  });

  return { id: 'bulk-add', title, entries };
}

/**
 * Registers every core case with mitata and returns how the report groups them. Call before
 * mitata's `run()`.
 *
 * @returns {BenchCase[]}
 */
export function registerCoreBenchmarks() {
  return [
    ...EMIT_SIZES.map(registerSyncEmit),
    ...EMIT_SIZES.map(registerAsyncEmit),
    ...CHAIN_SIZES.map(registerTryEmit),
    registerAddRemove(),
    registerBulkAdd(),
  ];
}
