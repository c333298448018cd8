import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSyncSignal, type TraceEvent, traceChannel } from '../../src/index.js';

const subscribed: ((event: TraceEvent) => void)[] = [];

afterEach(() => {
  for (const subscriber of subscribed.splice(0)) traceChannel.unsubscribe(subscriber);
  vi.restoreAllMocks();
});

function subscribe(
  subscriber: (event: TraceEvent) => void,
  onError?: (error: unknown, event: TraceEvent) => void,
): void {
  subscribed.push(subscriber);
  traceChannel.subscribe(subscriber, onError === undefined ? {} : { onError });
}

describe('traceChannel subscriber errors', () => {
  it('never break an emit', async () => {
    const onError = vi.fn();
    subscribe(() => {
      throw new Error('subscriber bug');
    }, onError);
    const signal = createSyncSignal<number>();
    const calls: number[] = [];
    signal.addListener((n) => {
      calls.push(n);
    });

    await expect(signal.tryEmit(1)).resolves.toBeUndefined();
    await expect(signal.emit(2)).resolves.toBeUndefined();

    expect(calls).toEqual([1, 2]);
  });

  it('are reported once, then counted', async () => {
    const onError = vi.fn();
    const failure = new Error('subscriber bug');
    subscribe(() => {
      throw failure;
    }, onError);
    const before = traceChannel.subscriberErrors;

    const signal = createSyncSignal<void>();
    signal.addListener(() => {});
    await signal.emit();

    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(failure, expect.objectContaining({ type: 'snapshot' }));
    expect(traceChannel.subscriberErrors - before).toBeGreaterThan(3);
  });

  it('leave the subscriber subscribed', async () => {
    const seen: string[] = [];
    subscribe(
      (event) => {
        seen.push(event.type);
        if (event.type === 'listener.started') throw new Error('only this one');
      },
      () => {},
    );
    const signal = createSyncSignal<void>();
    signal.addListener(() => {});

    await signal.emit();

    expect(seen).toContain('listener.finished');
    expect(seen).toContain('emit.finished');
    expect(traceChannel.hasSubscribers).toBe(true);
  });

  it('do not stop the other subscribers', async () => {
    const seen: string[] = [];
    subscribe(
      () => {
        throw new Error('first subscriber fails');
      },
      () => {},
    );
    subscribe((event) => {
      seen.push(event.type);
    });
    const signal = createSyncSignal<void>();
    signal.addListener(() => {});

    await signal.emit();

    expect(seen).toEqual([
      'snapshot',
      'signal.created',
      'listener.added',
      'emit.started',
      'listener.started',
      'listener.finished',
      'emit.finished',
    ]);
  });

  it('go to console.error without onError in Node', () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const failure = new Error('no handler');
    subscribe(() => {
      throw failure;
    });

    createSyncSignal<void>();

    expect(consoleError).toHaveBeenCalledTimes(1);
    expect(consoleError.mock.calls[0]?.[1]).toBe(failure);
  });

  it('survive an onError that throws', async () => {
    subscribe(
      () => {
        throw new Error('subscriber bug');
      },
      () => {
        throw new Error('handler bug');
      },
    );
    const signal = createSyncSignal<void>();
    signal.addListener(() => {});

    await expect(signal.tryEmit()).resolves.toBeUndefined();
  });
});
