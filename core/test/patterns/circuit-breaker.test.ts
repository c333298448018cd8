import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CircuitBreaker,
  CircuitOpenError,
  type Context,
  type TraceEvent,
  traceChannel,
} from '../../src/index.js';
import { collect, deferred, settle } from './helpers.js';

const boom = (): never => {
  throw new Error('dependency down');
};

async function failTimes(breaker: CircuitBreaker, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    await expect(breaker.call(boom)).rejects.toThrow('dependency down');
  }
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('new CircuitBreaker()', () => {
  it('applies the documented defaults', () => {
    const breaker = new CircuitBreaker();

    expect(breaker.settings).toEqual({
      failureThreshold: 5,
      recoveryTimeoutMs: 30_000,
      successThreshold: 1,
      halfOpenMaxCalls: 1,
      callTimeoutMs: undefined,
    });
    expect(breaker.state).toBe('closed');
    expect(breaker.name).toBe(`breaker#${breaker.id}`);
  });

  it.each([
    [
      { failureThreshold: 0 },
      RangeError,
      /"failureThreshold" must be an integer >= 1, received number 0/,
    ],
    [{ failureThreshold: 1.5 }, RangeError, /"failureThreshold".*received number 1.5/],
    [
      { failureThreshold: '3' },
      TypeError,
      /"failureThreshold" must be a number, received string "3"/,
    ],
    [{ recoveryTimeoutMs: -1 }, RangeError, /"recoveryTimeoutMs" must be a finite number >= 0/],
    [{ recoveryTimeoutMs: Number.NaN }, RangeError, /"recoveryTimeoutMs".*received number NaN/],
    [{ successThreshold: 0 }, RangeError, /"successThreshold"/],
    [{ halfOpenMaxCalls: 0 }, RangeError, /"halfOpenMaxCalls"/],
    [{ callTimeoutMs: 0 }, RangeError, /"callTimeoutMs" must be a finite number > 0/],
    [{ name: '' }, TypeError, /"name" must be a non-empty string/],
  ])('rejects %o', (options, errorClass, message) => {
    const create = () => new CircuitBreaker(options as never);

    expect(create).toThrow(errorClass);
    expect(create).toThrow(message);
    expect(create).toThrow(/^new CircuitBreaker: /);
  });

  it('names and owns its signals', () => {
    const breaker = new CircuitBreaker({ name: 'payments' });

    expect(breaker.stateChanged.name).toBe('payments.stateChanged');
    expect(breaker.callResult.name).toBe('payments.callResult');
    expect(breaker.stateChanged.owner).toEqual({ kind: 'breaker', name: 'payments' });
    expect(breaker.callResult.owner).toEqual({ kind: 'breaker', name: 'payments' });
  });
});

describe('CircuitBreaker.call()', () => {
  it('rejects a ctx.signal that is no AbortSignal', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, recoveryTimeoutMs: 0 });
    await failTimes(breaker, 1);
    const fn = vi.fn(() => 'ran');

    const bad = breaker.call(fn, { signal: 5 as never });

    await expect(bad).rejects.toThrow(TypeError);
    await expect(bad).rejects.toThrow('CircuitBreaker.call: "ctx.signal" must be an AbortSignal');
    expect(fn).not.toHaveBeenCalled();
  });

  it('keeps its trial slot after a bad ctx', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, recoveryTimeoutMs: 0 });
    await failTimes(breaker, 1);

    await breaker.call(() => 'bad', { signal: {} as never }).catch(() => undefined);

    await expect(breaker.call(() => 'trial')).resolves.toBe('trial');
    expect(breaker.state).toBe('closed');
  });

  it('resolves with the value of fn', async () => {
    const breaker = new CircuitBreaker();

    await expect(breaker.call(() => 42)).resolves.toBe(42);
    await expect(breaker.call(async () => 'async')).resolves.toBe('async');
    expect(breaker.counters).toEqual({
      calls: 2,
      successes: 2,
      failures: 0,
      timeouts: 0,
      rejections: 0,
    });
  });

  it('passes the caller context values to fn', async () => {
    const breaker = new CircuitBreaker();
    let seen: Context | undefined;

    await breaker.call(
      (ctx) => {
        seen = ctx;
      },
      { traceId: 'abc' },
    );

    expect(seen?.traceId).toBe('abc');
    expect(seen?.signal).toBeInstanceOf(AbortSignal);
  });

  it('rejects a non-function fn', async () => {
    const breaker = new CircuitBreaker();

    await expect(breaker.call('nope' as never)).rejects.toThrow(TypeError);
    await expect(breaker.call('nope' as never)).rejects.toThrow(
      /CircuitBreaker.call: "fn" must be a function/,
    );
  });

  it('counts a synchronous throw as a failure', async () => {
    const breaker = new CircuitBreaker();

    await failTimes(breaker, 1);

    expect(breaker.counters.failures).toBe(1);
  });

  it('opens after failureThreshold consecutive failures', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3 });

    await failTimes(breaker, 2);
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1);

    expect(breaker.state).toBe('open');
  });

  it('resets the consecutive failure count on success', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3 });

    await failTimes(breaker, 2);
    await breaker.call(() => 'ok');
    await failTimes(breaker, 2);

    expect(breaker.state).toBe('closed');
  });

  it('rejects fast while open', async () => {
    const breaker = new CircuitBreaker({
      name: 'payments',
      failureThreshold: 1,
      recoveryTimeoutMs: 1000,
    });
    await failTimes(breaker, 1);
    vi.advanceTimersByTime(400);
    const fn = vi.fn();

    const error = await breaker.call(fn).catch((caught: unknown) => caught);

    expect(fn).not.toHaveBeenCalled();
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect((error as CircuitOpenError).state).toBe('open');
    expect((error as CircuitOpenError).retryAfterMs).toBe(600);
    expect((error as CircuitOpenError).breaker).toBe('payments');
    expect(breaker.counters.rejections).toBe(1);
    expect(breaker.counters.calls).toBe(2);
  });

  it('stays open until the next call', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, recoveryTimeoutMs: 1000 });
    await failTimes(breaker, 1);

    vi.advanceTimersByTime(1000);
    expect(breaker.state).toBe('open');
    await breaker.call(() => 'trial');

    expect(breaker.state).toBe('closed');
  });

  it('turns half-open on the next call', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, recoveryTimeoutMs: 1000 });
    await failTimes(breaker, 1);
    vi.advanceTimersByTime(1000);
    const trial = deferred();

    const pending = breaker.call(() => trial.promise);

    expect(breaker.state).toBe('half-open');
    trial.resolve();
    await pending;
  });

  it('limits trial calls in flight to halfOpenMaxCalls', async () => {
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      recoveryTimeoutMs: 1000,
      halfOpenMaxCalls: 2,
      successThreshold: 3,
    });
    await failTimes(breaker, 1);
    vi.advanceTimersByTime(1000);
    const first = deferred<string>();
    const second = deferred<string>();

    const firstCall = breaker.call(() => first.promise);
    const secondCall = breaker.call(() => second.promise);
    const third = await breaker.call(() => 'third').catch((caught: unknown) => caught);

    expect(third).toBeInstanceOf(CircuitOpenError);
    expect((third as CircuitOpenError).state).toBe('half-open');

    first.resolve('one');
    await expect(firstCall).resolves.toBe('one');
    // One slot is free again although only one trial has succeeded so far.
    await expect(breaker.call(() => 'fourth')).resolves.toBe('fourth');
    second.resolve('two');
    await expect(secondCall).resolves.toBe('two');
    expect(breaker.state).toBe('closed');
  });

  it('closes after successThreshold trial successes', async () => {
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      recoveryTimeoutMs: 1000,
      successThreshold: 2,
    });
    await failTimes(breaker, 1);
    vi.advanceTimersByTime(1000);

    await breaker.call(() => 'one');
    expect(breaker.state).toBe('half-open');
    await breaker.call(() => 'two');

    expect(breaker.state).toBe('closed');
  });

  it('reopens on one trial failure', async () => {
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      recoveryTimeoutMs: 1000,
      successThreshold: 3,
    });
    await failTimes(breaker, 1);
    vi.advanceTimersByTime(1000);

    await breaker.call(() => 'one');
    await failTimes(breaker, 1);

    expect(breaker.state).toBe('open');
    await expect(breaker.call(() => 'again')).rejects.toBeInstanceOf(CircuitOpenError);
  });

  it('ignores stale call outcomes', async () => {
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      recoveryTimeoutMs: 1000,
      successThreshold: 1,
    });
    const slow = deferred();
    const slowCall = breaker.call(() => slow.promise);
    await failTimes(breaker, 1);
    vi.advanceTimersByTime(1000);
    const trial = deferred();
    const trialCall = breaker.call(() => trial.promise);

    slow.resolve();
    await slowCall;

    expect(breaker.state).toBe('half-open');
    trial.resolve();
    await trialCall;
    expect(breaker.state).toBe('closed');
  });

  it('times out and aborts fn', async () => {
    const breaker = new CircuitBreaker({ callTimeoutMs: 500 });
    let fnSignal: AbortSignal | undefined;

    const call = breaker.call((ctx) => {
      fnSignal = ctx.signal;
      return new Promise<never>(() => {});
    });
    const outcome = call.catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(500);
    const error = await outcome;

    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('TimeoutError');
    expect((error as DOMException).message).toMatch(/timed out after 500 ms/);
    expect(fnSignal?.aborted).toBe(true);
    expect(fnSignal?.reason).toBe(error);
    expect(breaker.counters).toMatchObject({ calls: 1, failures: 1, timeouts: 1, successes: 0 });
  });

  it('counts timeouts toward failureThreshold', async () => {
    const breaker = new CircuitBreaker({ callTimeoutMs: 100, failureThreshold: 2 });

    for (let i = 0; i < 2; i++) {
      const call = breaker.call(() => new Promise<never>(() => {})).catch(() => undefined);
      await vi.advanceTimersByTimeAsync(100);
      await call;
    }

    expect(breaker.state).toBe('open');
  });

  it('keeps a call that settles in time', async () => {
    const breaker = new CircuitBreaker({ callTimeoutMs: 500 });

    const call = breaker.call(async () => {
      await new Promise((resolve) => setTimeout(resolve, 499));
      return 'done';
    });
    await vi.advanceTimersByTimeAsync(499);

    await expect(call).resolves.toBe('done');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('skips fn for an aborted caller', async () => {
    const breaker = new CircuitBreaker();
    const controller = new AbortController();
    controller.abort(new Error('caller gave up'));
    const fn = vi.fn();

    await expect(breaker.call(fn, { signal: controller.signal })).rejects.toThrow('caller gave up');

    expect(fn).not.toHaveBeenCalled();
    expect(breaker.counters.calls).toBe(0);
  });

  it('rejects at once on caller abort', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1 });
    const controller = new AbortController();
    let fnSignal: AbortSignal | undefined;

    const call = breaker.call(
      (ctx) => {
        fnSignal = ctx.signal;
        return new Promise<never>(() => {});
      },
      { signal: controller.signal },
    );
    controller.abort(new Error('caller gave up'));

    await expect(call).rejects.toThrow('caller gave up');
    expect(fnSignal?.aborted).toBe(true);
    expect(breaker.state).toBe('closed');
    expect(breaker.counters).toMatchObject({ calls: 1, failures: 0, successes: 0 });
  });
});

describe('CircuitBreaker signals', () => {
  it('emits stateChanged for each transition', async () => {
    const breaker = new CircuitBreaker({
      name: 'db',
      failureThreshold: 2,
      recoveryTimeoutMs: 1000,
    });
    const changes = collect(breaker.stateChanged);

    await failTimes(breaker, 2);
    vi.advanceTimersByTime(1000);
    await breaker.call(() => 'ok');
    await settle();

    expect(changes.map(({ from, to, reason }) => ({ from, to, reason }))).toEqual([
      { from: 'closed', to: 'open', reason: '2 consecutive failures' },
      { from: 'open', to: 'half-open', reason: 'recovery timeout elapsed' },
      { from: 'half-open', to: 'closed', reason: '1 successful trial calls' },
    ]);
    expect(changes[0]?.breaker).toBe('db');
    expect(changes[0]?.counters).toMatchObject({ calls: 2, failures: 2 });
    expect(typeof changes[0]?.ts).toBe('number');
  });

  it('emits callResult once per call', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, callTimeoutMs: 100 });
    const results = collect(breaker.callResult);

    await breaker.call(() => 'ok');
    const timedOut = breaker.call(() => new Promise<never>(() => {})).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(100);
    await timedOut;
    await breaker.call(() => 'rejected').catch(() => undefined);
    await settle();

    expect(results.map((result) => [result.outcome, result.state])).toEqual([
      ['success', 'closed'],
      ['timeout', 'closed'],
      ['rejected', 'open'],
    ]);
    expect(results[1]?.durationMs).toBe(100);
    expect(results[1]?.error).toMatchObject({ name: 'TimeoutError' });
    expect(results[2]?.error).toBeInstanceOf(CircuitOpenError);
  });

  it('reports a cancelled call as cancelled', async () => {
    const breaker = new CircuitBreaker();
    const results = collect(breaker.callResult);
    const controller = new AbortController();

    const call = breaker.call(() => new Promise<never>(() => {}), { signal: controller.signal });
    controller.abort();
    await call.catch(() => undefined);
    await settle();

    expect(results.map((result) => result.outcome)).toEqual(['cancelled']);
  });
});

describe('CircuitBreaker tracing', () => {
  it('publishes a cancelled callResult', async () => {
    const events: TraceEvent[] = [];
    const subscriber = (event: TraceEvent) => {
      if (event.type === 'breaker.callResult') events.push(event);
    };
    traceChannel.subscribe(subscriber);

    try {
      const breaker = new CircuitBreaker({ name: 'cancel-traced' });
      const controller = new AbortController();
      const call = breaker.call(() => new Promise<never>(() => {}), { signal: controller.signal });
      controller.abort();
      await call.catch(() => undefined);

      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        breakerId: breaker.id,
        name: 'cancel-traced',
        outcome: 'cancelled',
        state: 'closed',
        error: controller.signal.reason,
      });
    } finally {
      traceChannel.unsubscribe(subscriber);
    }
  });

  it('publishes created, stateChanged and callResult events', async () => {
    const events: TraceEvent[] = [];
    const subscriber = (event: TraceEvent) => {
      if (event.type.startsWith('breaker.')) events.push(event);
    };
    traceChannel.subscribe(subscriber);

    try {
      const breaker = new CircuitBreaker({ name: 'traced', failureThreshold: 1 });
      await failTimes(breaker, 1);

      expect(events.map((event) => event.type)).toEqual([
        'breaker.created',
        'breaker.stateChanged',
        'breaker.callResult',
      ]);
      expect(events[0]).toMatchObject({ breakerId: breaker.id, name: 'traced', state: 'closed' });
      expect(events[1]).toMatchObject({
        from: 'closed',
        to: 'open',
        reason: '1 consecutive failures',
      });
      expect(events[2]).toMatchObject({ outcome: 'failure', state: 'closed' });
    } finally {
      traceChannel.unsubscribe(subscriber);
    }
  });

  it('lists live breakers in the snapshot', () => {
    const breaker = new CircuitBreaker({ name: 'snapshot-me' });
    let snapshot: TraceEvent | undefined;
    const subscriber = (event: TraceEvent) => {
      if (event.type === 'snapshot') snapshot = event;
    };

    traceChannel.subscribe(subscriber);
    traceChannel.unsubscribe(subscriber);

    expect(
      snapshot?.type === 'snapshot' && snapshot.breakers.map((info) => info.breakerId),
    ).toContain(breaker.id);
  });
});
