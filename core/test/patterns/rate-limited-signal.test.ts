import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BackpressureError,
  createRateLimitedSignal,
  RateLimitedSignal,
  type TraceEvent,
  traceChannel,
} from '../../src/index.js';
import { collect, settle } from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('createRateLimitedSignal()', () => {
  it('applies the documented defaults', () => {
    const limited = createRateLimitedSignal<number>({ ratePerSecond: 5 });

    expect(limited).toBeInstanceOf(RateLimitedSignal);
    expect(limited.burst).toBe(1);
    expect(limited.queueCapacity).toBe(1000);
    expect(limited.name).toBe(`rate-limiter#${limited.id}`);
  });

  it('names and owns its signal', () => {
    const limited = createRateLimitedSignal<number>({ name: 'metrics', ratePerSecond: 5 });

    expect(limited.signal.name).toBe('metrics.signal');
    expect(limited.signal.owner).toEqual({ kind: 'rate-limiter', name: 'metrics' });
  });

  it.each([
    [{}, TypeError, /"ratePerSecond" must be a number, received undefined/],
    [{ ratePerSecond: 0 }, RangeError, /"ratePerSecond" must be a finite number > 0/],
    [{ ratePerSecond: Number.POSITIVE_INFINITY }, RangeError, /"ratePerSecond"/],
    [{ ratePerSecond: 1, burst: 0 }, RangeError, /"burst" must be an integer >= 1/],
    [
      { ratePerSecond: 1, queueCapacity: -1 },
      RangeError,
      /"queueCapacity" must be an integer >= 0/,
    ],
    [{ ratePerSecond: 1, name: '' }, TypeError, /"name" must be a non-empty string/],
  ])('rejects %o', (options, errorClass, message) => {
    const create = () => createRateLimitedSignal(options as never);

    expect(create).toThrow(errorClass);
    expect(create).toThrow(message);
    expect(create).toThrow(/^createRateLimitedSignal: /);
  });
});

describe('RateLimitedSignal.emit()', () => {
  it('rejects a ctx.signal that is no AbortSignal', () => {
    const limited = createRateLimitedSignal<number>({ ratePerSecond: 10 });

    expect(() => limited.emit(1, { signal: 1 as never })).toThrow(TypeError);
    expect(() => limited.emit(1, { signal: 1 as never })).toThrow(
      'RateLimitedSignal.emit: "ctx.signal" must be an AbortSignal',
    );
    expect(limited.queued).toBe(0);
  });

  it('emits a burst, then queues', async () => {
    const limited = createRateLimitedSignal<number>({ ratePerSecond: 10, burst: 2 });
    const received = collect(limited.signal);

    const results = [limited.emit(1), limited.emit(2), limited.emit(3)];
    await settle();

    expect(results).toEqual(['emitted', 'emitted', 'queued']);
    expect(received).toEqual([1, 2]);
    expect(limited.queued).toBe(1);
  });

  it('drains the queue in order at ratePerSecond', async () => {
    const limited = createRateLimitedSignal<number>({ ratePerSecond: 10 });
    const received = collect(limited.signal);

    for (let i = 1; i <= 4; i++) limited.emit(i);
    await settle();
    expect(received).toEqual([1]);

    await vi.advanceTimersByTimeAsync(99);
    expect(received).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(received).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(200);

    expect(received).toEqual([1, 2, 3, 4]);
    expect(limited.queued).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never lets a payload overtake the queue', async () => {
    const limited = createRateLimitedSignal<number>({ ratePerSecond: 10, burst: 1 });
    const received = collect(limited.signal);
    limited.emit(1);
    limited.emit(2);

    // The timer has not fired yet, so payload 2 still waits although a token has refilled.
    vi.setSystemTime(Date.now() + 100);
    const result = limited.emit(3);
    await vi.advanceTimersByTimeAsync(100);
    expect(received).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(100);

    expect(result).toBe('queued');
    expect(received).toEqual([1, 2, 3]);
  });

  it('refills tokens up to burst', async () => {
    const limited = createRateLimitedSignal<number>({ ratePerSecond: 10, burst: 3 });
    const received = collect(limited.signal);
    limited.emit(1);
    limited.emit(2);
    limited.emit(3);

    await vi.advanceTimersByTimeAsync(10_000);
    const results = [limited.emit(4), limited.emit(5), limited.emit(6), limited.emit(7)];
    await settle();

    expect(results).toEqual(['emitted', 'emitted', 'emitted', 'queued']);
    expect(received).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('ignores a clock moving backwards', async () => {
    const limited = createRateLimitedSignal<number>({ ratePerSecond: 10, burst: 2 });
    const received = collect(limited.signal);
    limited.emit(1);

    vi.setSystemTime(Date.now() - 60_000);
    const results = [limited.emit(2), limited.emit(3)];
    await settle();

    expect(results).toEqual(['emitted', 'queued']);
    expect(received).toEqual([1, 2]);
  });

  it('throws BackpressureError when full', () => {
    const limited = createRateLimitedSignal<number>({
      name: 'metrics',
      ratePerSecond: 10,
      queueCapacity: 2,
    });
    limited.emit(1);
    limited.emit(2);
    limited.emit(3);

    let error: unknown;
    try {
      limited.emit(4);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(BackpressureError);
    expect(error).toMatchObject({ limiter: 'metrics', queued: 2, capacity: 2, retryAfterMs: 100 });
    expect((error as Error).message).toMatch(/queue is full \(2 of 2\)/);
    expect(limited.dropped).toBe(1);
    expect(limited.queued).toBe(2);
  });

  it('rejects at once without a queue', () => {
    const limited = createRateLimitedSignal<number>({ ratePerSecond: 1, queueCapacity: 0 });

    expect(limited.emit(1)).toBe('emitted');
    expect(() => limited.emit(2)).toThrow(BackpressureError);
  });

  it('skips aborted queued payloads', async () => {
    const limited = createRateLimitedSignal<number>({ ratePerSecond: 10 });
    const received = collect(limited.signal);
    const controller = new AbortController();
    limited.emit(1);
    limited.emit(2, { signal: controller.signal });
    limited.emit(3);

    controller.abort();
    await vi.advanceTimersByTimeAsync(100);

    expect(received).toEqual([1, 3]);
  });

  it('passes ctx to the listeners', async () => {
    const limited = createRateLimitedSignal<number>({ ratePerSecond: 10 });
    const traceIds: unknown[] = [];
    limited.signal.addListener((_payload, ctx) => {
      traceIds.push(ctx.traceId);
    });

    limited.emit(1, { traceId: 'a' });
    limited.emit(2, { traceId: 'b' });
    await vi.advanceTimersByTimeAsync(100);

    expect(traceIds).toEqual(['a', 'b']);
  });

  it('publishes ratelimiter.dropped', () => {
    const events: TraceEvent[] = [];
    const subscriber = (event: TraceEvent) => {
      if (event.type === 'ratelimiter.dropped') events.push(event);
    };
    traceChannel.subscribe(subscriber);

    try {
      const limited = createRateLimitedSignal<string>({
        name: 'metrics',
        ratePerSecond: 1,
        queueCapacity: 1,
      });
      limited.emit('a');
      limited.emit('b');
      expect(() => limited.emit('c')).toThrow(BackpressureError);

      expect(events).toEqual([
        {
          type: 'ratelimiter.dropped',
          ts: expect.any(Number),
          signalId: limited.signal.signalId,
          name: 'metrics',
          queued: 1,
          capacity: 1,
          payload: 'c',
        },
      ]);
    } finally {
      traceChannel.unsubscribe(subscriber);
    }
  });
});

describe('RateLimitedSignal.dispose()', () => {
  it('stops draining and discards the queue', async () => {
    const limited = createRateLimitedSignal<number>({ name: 'metrics', ratePerSecond: 10 });
    const received = collect(limited.signal);
    limited.emit(1);
    limited.emit(2);
    limited.emit(3);
    await settle();

    const discarded = limited.dispose();
    await vi.advanceTimersByTimeAsync(1000);

    expect(discarded).toBe(2);
    expect(received).toEqual([1]);
    expect(limited.dropped).toBe(0);
    expect(limited.signal.len()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(() => limited.emit(4)).toThrow(/"metrics" was disposed/);
  });
});
