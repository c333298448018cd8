import { afterEach, describe, expect, it } from 'vitest';
import { createSignal, createSyncSignal } from '../../src/index.js';
import { enableAsyncCausality } from '../../src/node.js';
import { recordTrace } from '../support/record-trace.js';

let disable: (() => void) | undefined;

afterEach(() => {
  disable?.();
  disable = undefined;
});

function emitIdOf(trace: ReturnType<typeof recordTrace>, signalName: string): number {
  const started = trace.ofType('emit.started').find((event) => event.signalName === signalName);
  if (started === undefined) throw new Error(`no emit.started for ${signalName}`);
  return started.emitId;
}

function parentOf(trace: ReturnType<typeof recordTrace>, signalName: string): number | undefined {
  return trace.ofType('emit.started').find((event) => event.signalName === signalName)
    ?.parentEmitId;
}

describe('emit.started parentEmitId', () => {
  it('is undefined for a top-level emit', async () => {
    const trace = recordTrace();
    const signal = createSyncSignal<void>({ name: 'top' });

    await signal.emit();

    expect(parentOf(trace, 'top')).toBeUndefined();
  });

  it('names a sync emit made inside a sync listener', async () => {
    const trace = recordTrace();
    const inner = createSyncSignal<void>({ name: 'inner' });
    const outer = createSyncSignal<void>({ name: 'outer' });
    outer.addListener(() => inner.emit());

    await outer.emit();

    expect(parentOf(trace, 'inner')).toBe(emitIdOf(trace, 'outer'));
  });

  it('links sync to async and async to sync signals', async () => {
    const trace = recordTrace();
    const audit = createSyncSignal<void>({ name: 'audit' });
    const notify = createSignal<void>({ name: 'notify' });
    const order = createSyncSignal<void>({ name: 'order' });
    order.addListener(() => notify.emit());
    notify.addListener(() => audit.tryEmit());

    await order.tryEmit();

    expect(parentOf(trace, 'notify')).toBe(emitIdOf(trace, 'order'));
    expect(parentOf(trace, 'audit')).toBe(emitIdOf(trace, 'notify'));
  });

  it('follows only the synchronous stack by default', async () => {
    const trace = recordTrace();
    const inner = createSyncSignal<void>({ name: 'after-await' });
    const outer = createSyncSignal<void>({ name: 'awaits' });
    outer.addListener(async () => {
      await Promise.resolve();
      await inner.emit();
    });

    await outer.emit();

    // Without AsyncLocalStorage the tracker cannot see past the first await.
    expect(parentOf(trace, 'after-await')).toBeUndefined();
  });

  it('follows await with enableAsyncCausality', async () => {
    disable = enableAsyncCausality();
    const trace = recordTrace();
    const inner = createSignal<void>({ name: 'async-after-await' });
    const outer = createSyncSignal<void>({ name: 'async-awaits' });
    outer.addListener(async () => {
      await Promise.resolve();
      await new Promise((resolve) => setImmediate(resolve));
      await inner.emit();
    });

    await outer.tryEmit();

    expect(parentOf(trace, 'async-after-await')).toBe(emitIdOf(trace, 'async-awaits'));
  });

  it('follows await inside an async signal listener', async () => {
    disable = enableAsyncCausality();
    const trace = recordTrace();
    const inner = createSyncSignal<void>({ name: 'sync-child' });
    const outer = createSignal<void>({ name: 'async-parent' });
    outer.addListener(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      await inner.emit();
    });

    await outer.emit();

    expect(parentOf(trace, 'sync-child')).toBe(emitIdOf(trace, 'async-parent'));
  });

  it('does not leak the parent to code after the emit', async () => {
    disable = enableAsyncCausality();
    const trace = recordTrace();
    const first = createSyncSignal<void>({ name: 'first' });
    const second = createSyncSignal<void>({ name: 'second' });
    first.addListener(async () => {});

    await first.emit();
    await second.emit();

    expect(parentOf(trace, 'second')).toBeUndefined();
  });

  it('restores the synchronous tracker when disabled', async () => {
    enableAsyncCausality()();
    const trace = recordTrace();
    const inner = createSyncSignal<void>({ name: 'restored-inner' });
    const outer = createSyncSignal<void>({ name: 'restored-outer' });
    outer.addListener(async () => {
      await Promise.resolve();
      await inner.emit();
    });

    await outer.emit();

    expect(parentOf(trace, 'restored-inner')).toBeUndefined();
  });
});
