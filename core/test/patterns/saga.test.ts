import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  defaultShouldRetry,
  InMemorySagaStore,
  Saga,
  SagaError,
  type SagaRunRecord,
  type SagaStep,
  type SagaStore,
  type TraceEvent,
  traceChannel,
} from '../../src/index.js';
import { collect, settle } from './helpers.js';

interface Order {
  log: string[];
}

class TransientError extends Error {
  override readonly name = 'TransientError';
}

function step(name: string, overrides: Partial<SagaStep<Order>> = {}): SagaStep<Order> {
  return {
    name,
    execute: (order) => {
      order.log.push(`execute ${name}`);
    },
    rollback: (order) => {
      order.log.push(`rollback ${name}`);
    },
    ...overrides,
  };
}

function failing(
  name: string,
  error: unknown,
  overrides: Partial<SagaStep<Order>> = {},
): SagaStep<Order> {
  return step(name, {
    execute: (order) => {
      order.log.push(`execute ${name}`);
      throw error;
    },
    ...overrides,
  });
}

async function runToError(
  saga: Saga<Order>,
  order: Order,
  signal?: AbortSignal,
): Promise<SagaError<Order>> {
  const outcome = await saga.run(order, signal === undefined ? undefined : { signal }).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(SagaError);
  return outcome as SagaError<Order>;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('new Saga()', () => {
  it.each([
    [{ steps: [] }, TypeError, /"steps" must be a non-empty array/],
    [{ steps: 'x' }, TypeError, /"steps" must be a non-empty array/],
    [{ steps: [{ name: 'a' }] }, TypeError, /"steps\[0\].execute" must be a function/],
    [
      { steps: [{ name: '', execute() {} }] },
      TypeError,
      /"steps\[0\].name" must be a non-empty string/,
    ],
    [{ steps: [step('a'), step('a')] }, TypeError, /"steps\[1\].name" repeats the step name "a"/],
    [
      { steps: [step('a', { retries: -1 })] },
      RangeError,
      /"steps\[0\].retries" must be an integer >= 0/,
    ],
    [{ steps: [step('a', { timeoutMs: 0 })] }, RangeError, /"steps\[0\].timeoutMs"/],
    [
      { steps: [step('a', { critical: 'yes' as never })] },
      TypeError,
      /"steps\[0\].critical" must be a boolean/,
    ],
    [{ steps: [step('a')], baseRetryDelayMs: -5 }, RangeError, /"baseRetryDelayMs"/],
    [
      { steps: [step('a')], baseRetryDelayMs: 100, maxRetryDelayMs: 50 },
      RangeError,
      /"maxRetryDelayMs" must be a finite number >= 100/,
    ],
    [{ steps: [step('a')], shouldRetry: true }, TypeError, /"shouldRetry" must be a function/],
  ])('rejects %o', (options, errorClass, message) => {
    const create = () => new Saga(options as never);

    expect(create).toThrow(errorClass);
    expect(create).toThrow(message);
  });

  it('names and owns its signals', () => {
    const saga = new Saga<Order>({ name: 'checkout', steps: [step('a')] });

    for (const [event, signal] of [
      ['stepStarted', saga.stepStarted],
      ['stepCompleted', saga.stepCompleted],
      ['stepRetry', saga.stepRetry],
      ['stepFailed', saga.stepFailed],
      ['stepRolledBack', saga.stepRolledBack],
      ['sagaCompleted', saga.sagaCompleted],
      ['sagaFailed', saga.sagaFailed],
    ] as const) {
      expect(signal.name).toBe(`checkout.${event}`);
      expect(signal.owner).toEqual({ kind: 'saga', name: 'checkout' });
    }
  });
});

describe('Saga.run()', () => {
  it('runs steps in order', async () => {
    const saga = new Saga<Order>({
      name: 'checkout',
      steps: [step('reserve'), step('charge'), step('ship')],
    });
    const order: Order = { log: [] };

    const record = await saga.run(order);

    expect(order.log).toEqual(['execute reserve', 'execute charge', 'execute ship']);
    expect(record.status).toBe('completed');
    expect(record.data).toBe(order);
    expect(record.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ['reserve', 'completed', 1],
      ['charge', 'completed', 1],
      ['ship', 'completed', 1],
    ]);
    expect(record.finishedAt).toBeGreaterThanOrEqual(record.startedAt);
  });

  it('rolls back in reverse order', async () => {
    const cause = new Error('card declined');
    const saga = new Saga<Order>({
      name: 'checkout',
      steps: [step('reserve'), step('hold'), failing('charge', cause), step('ship')],
    });
    const order: Order = { log: [] };

    const error = await runToError(saga, order);

    expect(order.log).toEqual([
      'execute reserve',
      'execute hold',
      'execute charge',
      'rollback hold',
      'rollback reserve',
    ]);
    expect(error.cause).toBe(cause);
    expect(error.step).toBe('charge');
    expect(error.stepIndex).toBe(2);
    expect(error.rollbackFailures).toEqual([]);
    expect(error.message).toMatch(/step "charge" failed \(Error: card declined\)/);
    expect(error.record.status).toBe('rolled_back');
    expect(error.record.steps.map((s) => s.status)).toEqual([
      'rolled_back',
      'rolled_back',
      'failed',
      'pending',
    ]);
  });

  it('reports a failing rollback and continues', async () => {
    const rollbackError = new Error('release failed');
    const saga = new Saga<Order>({
      steps: [
        step('reserve'),
        step('hold', {
          rollback: () => {
            throw rollbackError;
          },
        }),
        failing('charge', new Error('declined')),
      ],
    });
    const order: Order = { log: [] };

    const error = await runToError(saga, order);

    expect(order.log).toContain('rollback reserve');
    expect(error.rollbackFailures).toEqual([{ step: 'hold', index: 1, error: rollbackError }]);
    expect(error.record.status).toBe('failed');
    expect(error.record.steps[1]?.status).toBe('rollback_failed');
  });

  it('skips rollback for steps without one', async () => {
    const saga = new Saga<Order>({
      steps: [step('audit', { rollback: undefined }), failing('charge', new Error('declined'))],
    });
    const order: Order = { log: [] };

    const error = await runToError(saga, order);

    expect(order.log).toEqual(['execute audit', 'execute charge']);
    expect(error.record.status).toBe('rolled_back');
  });

  it('records a non-critical failure and goes on', async () => {
    const saga = new Saga<Order>({
      steps: [
        step('charge'),
        failing('email', new Error('smtp down'), { critical: false }),
        step('ship'),
      ],
    });
    const order: Order = { log: [] };

    const record = await saga.run(order);

    expect(record.status).toBe('completed');
    expect(order.log).toEqual(['execute charge', 'execute email', 'execute ship']);
    expect(record.steps[1]).toMatchObject({ status: 'failed', error: new Error('smtp down') });
  });

  it('retries an idempotent step with exponential backoff', async () => {
    let calls = 0;
    const saga = new Saga<Order>({
      baseRetryDelayMs: 100,
      steps: [
        step('reserve', {
          retries: 3,
          idempotent: true,
          execute: () => {
            calls++;
            if (calls < 3) throw new TransientError(`attempt ${calls}`);
          },
        }),
      ],
    });
    const retries = collect(saga.stepRetry);

    const run = saga.run({ log: [] });
    await settle();
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(199);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    const record = await run;

    expect(calls).toBe(3);
    expect(record.steps[0]).toMatchObject({ status: 'completed', attempts: 3 });
    expect(retries.map((r) => [r.attempt, r.delayMs])).toEqual([
      [1, 100],
      [2, 200],
    ]);
  });

  it('caps the backoff at maxRetryDelayMs', async () => {
    const saga = new Saga<Order>({
      baseRetryDelayMs: 100,
      maxRetryDelayMs: 250,
      steps: [failing('reserve', new TransientError('busy'), { retries: 3, idempotent: true })],
    });
    const retries = collect(saga.stepRetry);

    const outcome = saga.run({ log: [] }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1000);
    await outcome;

    expect(retries.map((r) => r.delayMs)).toEqual([100, 200, 250]);
  });

  it('fails after the last retry', async () => {
    const saga = new Saga<Order>({
      baseRetryDelayMs: 1,
      steps: [failing('reserve', new TransientError('busy'), { retries: 2, idempotent: true })],
    });
    const order: Order = { log: [] };

    const outcome = runToError(saga, order);
    await vi.advanceTimersByTimeAsync(10);
    const error = await outcome;

    expect(order.log).toEqual(['execute reserve', 'execute reserve', 'execute reserve']);
    expect(error.record.steps[0]?.attempts).toBe(3);
  });

  it('never retries a non-idempotent step', async () => {
    const saga = new Saga<Order>({
      steps: [failing('charge', new TransientError('busy'), { retries: 3 })],
    });
    const order: Order = { log: [] };

    await runToError(saga, order);

    expect(order.log).toEqual(['execute charge']);
  });

  it('retries only errors that shouldRetry calls transient', async () => {
    const shouldRetry = vi.fn((error: unknown) => error instanceof TransientError);
    const saga = new Saga<Order>({
      shouldRetry,
      steps: [failing('reserve', new Error('out of stock'), { retries: 3, idempotent: true })],
    });
    const order: Order = { log: [] };

    await runToError(saga, order);

    expect(order.log).toEqual(['execute reserve']);
    expect(shouldRetry).toHaveBeenCalledWith(new Error('out of stock'), {
      step: 'reserve',
      index: 0,
      attempt: 1,
    });
  });

  it('fails the step when shouldRetry throws', async () => {
    const hookError = new Error('hook bug');
    const saga = new Saga<Order>({
      shouldRetry: () => {
        throw hookError;
      },
      steps: [
        step('reserve'),
        failing('charge', new TransientError('busy'), { retries: 3, idempotent: true }),
      ],
    });
    const order: Order = { log: [] };

    const error = await runToError(saga, order);

    expect(error.cause).toBe(hookError);
    expect(order.log).toEqual(['execute reserve', 'execute charge', 'rollback reserve']);
  });

  it('times out a slow step', async () => {
    let stepSignal: AbortSignal | undefined;
    const saga = new Saga<Order>({
      steps: [
        step('slow', {
          timeoutMs: 500,
          execute: (_order, ctx) => {
            stepSignal = ctx.signal;
            return new Promise<never>(() => {});
          },
        }),
      ],
    });

    const outcome = runToError(saga, { log: [] });
    await vi.advanceTimersByTimeAsync(500);
    const error = await outcome;

    expect(error.cause).toMatchObject({ name: 'TimeoutError' });
    expect(stepSignal?.aborted).toBe(true);
  });

  it('rolls back on abort during a step', async () => {
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const saga = new Saga<Order>({
      steps: [
        step('reserve'),
        step('charge', {
          execute: (order) => {
            order.log.push('execute charge');
            return new Promise<never>(() => {});
          },
        }),
        step('ship'),
      ],
    });
    const order: Order = { log: [] };

    const outcome = runToError(saga, order, controller.signal);
    await settle();
    controller.abort(reason);
    const error = await outcome;

    expect(order.log).toEqual(['execute reserve', 'execute charge', 'rollback reserve']);
    expect(error.cause).toBe(reason);
    expect(error.step).toBe('charge');
    expect(error.record.status).toBe('rolled_back');
  });

  it('stops on abort during a backoff', async () => {
    const controller = new AbortController();
    const saga = new Saga<Order>({
      baseRetryDelayMs: 1000,
      steps: [
        step('reserve'),
        failing('notify', new TransientError('busy'), {
          retries: 3,
          idempotent: true,
          critical: false,
        }),
        step('ship'),
      ],
    });
    const order: Order = { log: [] };

    const outcome = runToError(saga, order, controller.signal);
    await settle();
    controller.abort(new Error('stop'));
    const error = await outcome;

    expect(order.log).toEqual(['execute reserve', 'execute notify', 'rollback reserve']);
    expect(error.step).toBe('notify');
  });

  it('runs nothing when already aborted', async () => {
    const saga = new Saga<Order>({ steps: [step('reserve')] });
    const order: Order = { log: [] };

    const error = await runToError(saga, order, AbortSignal.abort(new Error('too late')));

    expect(order.log).toEqual([]);
    expect(error.step).toBe('reserve');
  });

  it('gives rollbacks a live context', async () => {
    const controller = new AbortController();
    let rollbackSignal: AbortSignal | undefined;
    let rollbackTraceId: unknown;
    const saga = new Saga<Order>({
      steps: [
        step('reserve', {
          rollback: (_order, ctx) => {
            rollbackSignal = ctx.signal;
            rollbackTraceId = ctx.traceId;
          },
        }),
        step('charge', { execute: () => new Promise<never>(() => {}) }),
      ],
    });

    const outcome = saga
      .run({ log: [] }, { signal: controller.signal, traceId: 't-1' })
      .catch(() => undefined);
    await settle();
    controller.abort();
    await outcome;

    expect(rollbackTraceId).toBe('t-1');
    expect(rollbackSignal?.aborted).toBe(false);
  });

  it('rejects a non-object ctx', async () => {
    const saga = new Saga<Order>({ steps: [step('a')] });

    await expect(saga.run({ log: [] }, 'ctx' as never)).rejects.toThrow(
      /Saga.run: "ctx" must be an object/,
    );
  });

  it('rejects a ctx.signal that is no AbortSignal', async () => {
    const execute = vi.fn();
    const saga = new Saga<Order>({ steps: [{ name: 'a', execute }] });

    const run = saga.run({ log: [] }, { signal: 'abort' as never });

    await expect(run).rejects.toThrow(TypeError);
    await expect(run).rejects.toThrow(/Saga.run: "ctx.signal" must be an AbortSignal/);
    expect(execute).not.toHaveBeenCalled();
  });
});

describe('Saga store', () => {
  it('saves after every step and rollback', async () => {
    const saved: SagaRunRecord<Order>[] = [];
    const store: SagaStore<Order> = {
      save: (record) => {
        saved.push(record);
      },
      load: () => undefined,
    };
    const saga = new Saga<Order>({
      store,
      steps: [step('reserve'), failing('charge', new Error('declined'))],
    });

    await runToError(saga, { log: [] });

    expect(
      saved.map((record) => [record.status, record.steps.map((s) => s.status).join(',')]),
    ).toEqual([
      ['pending', 'pending,pending'],
      ['executing', 'completed,pending'],
      ['executing', 'completed,failed'],
      ['rolling_back', 'completed,failed'],
      ['rolling_back', 'rolled_back,failed'],
      ['rolled_back', 'rolled_back,failed'],
    ]);
  });

  it('loads a finished run', async () => {
    const saga = new Saga<Order>({ steps: [step('reserve')] });

    const record = await saga.run({ log: [] });
    const loaded = await saga.load(record.runId);

    expect(loaded).toEqual(record);
    expect(loaded).not.toBe(record);
  });

  it('rejects run when store.save fails', async () => {
    const store: SagaStore<Order> = {
      save: () => Promise.reject(new Error('disk full')),
      load: () => undefined,
    };
    const saga = new Saga<Order>({ name: 'checkout', store, steps: [step('reserve')] });
    const order: Order = { log: [] };

    const error = await saga.run(order).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /Saga "checkout" run \d+: store.save failed at status "pending"/,
    );
    expect((error as Error).cause).toEqual(new Error('disk full'));
    expect(order.log).toEqual([]);
  });
});

describe('InMemorySagaStore', () => {
  it('drops the oldest run beyond maxRuns', () => {
    const store = new InMemorySagaStore<Order>({ maxRuns: 2 });
    const record = (runId: number): SagaRunRecord<Order> => ({
      runId,
      saga: 's',
      status: 'completed',
      data: { log: [] },
      steps: [],
      startedAt: 0,
      finishedAt: 1,
      error: undefined,
    });

    store.save(record(1));
    store.save(record(2));
    store.save(record(3));

    expect(store.size).toBe(2);
    expect(store.load(1)).toBeUndefined();
    expect(store.load(3)?.runId).toBe(3);
  });

  it('rejects a maxRuns below 1', () => {
    expect(() => new InMemorySagaStore({ maxRuns: 0 })).toThrow(
      /"maxRuns" must be an integer >= 1/,
    );
  });
});

describe('defaultShouldRetry()', () => {
  it.each([
    [new Error('network'), true],
    [new TransientError('busy'), true],
    [new DOMException('slow', 'TimeoutError'), true],
    ['a string', true],
    [new DOMException('stop', 'AbortError'), false],
    [new TypeError('bug'), false],
    [new RangeError('bug'), false],
    [new ReferenceError('bug'), false],
    [new SyntaxError('bug'), false],
  ])('returns the documented verdict for %o', (error, expected) => {
    expect(defaultShouldRetry(error)).toBe(expected);
  });
});

describe('Saga signals', () => {
  it('emit each phase with details', async () => {
    const cause = new TransientError('busy');
    const saga = new Saga<Order>({
      name: 'checkout',
      baseRetryDelayMs: 10,
      steps: [step('reserve'), failing('charge', cause, { retries: 1, idempotent: true })],
    });
    const started = collect(saga.stepStarted);
    const completed = collect(saga.stepCompleted);
    const retried = collect(saga.stepRetry);
    const failed = collect(saga.stepFailed);
    const rolledBack = collect(saga.stepRolledBack);
    const sagaFailed = collect(saga.sagaFailed);
    const sagaCompleted = collect(saga.sagaCompleted);

    const outcome = saga.run({ log: [] }).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(10);
    await outcome;
    await settle();

    expect(started.map((e) => [e.step, e.attempt])).toEqual([
      ['reserve', 1],
      ['charge', 1],
      ['charge', 2],
    ]);
    expect(completed.map((e) => e.step)).toEqual(['reserve']);
    expect(retried).toMatchObject([{ step: 'charge', attempt: 1, delayMs: 10, error: cause }]);
    expect(failed).toMatchObject([{ step: 'charge', attempt: 2, phase: 'execute', error: cause }]);
    expect(rolledBack).toMatchObject([{ step: 'reserve', index: 0, phase: 'rollback' }]);
    expect(sagaFailed).toMatchObject([{ saga: 'checkout', status: 'rolled_back', error: cause }]);
    expect(sagaCompleted).toEqual([]);
  });

  it('emit sagaCompleted with the record', async () => {
    const saga = new Saga<Order>({ steps: [step('reserve')] });
    const completed = collect(saga.sagaCompleted);

    const record = await saga.run({ log: [] });
    await settle();

    expect(completed).toHaveLength(1);
    expect(completed[0]?.record).toEqual(record);
    expect(completed[0]?.status).toBe('completed');
  });

  it('report a failing rollback on stepFailed', async () => {
    const saga = new Saga<Order>({
      steps: [
        step('reserve', {
          rollback: () => {
            throw new Error('release failed');
          },
        }),
        failing('charge', new Error('declined')),
      ],
    });
    const failed = collect(saga.stepFailed);

    await runToError(saga, { log: [] });
    await settle();

    expect(failed.map((e) => [e.step, e.phase])).toEqual([
      ['charge', 'execute'],
      ['reserve', 'rollback'],
    ]);
  });
});

describe('Saga tracing', () => {
  it('publishes created, run and step events', async () => {
    const events: TraceEvent[] = [];
    const subscriber = (event: TraceEvent) => {
      if (event.type.startsWith('saga.')) events.push(event);
    };
    traceChannel.subscribe(subscriber);

    try {
      const saga = new Saga<Order>({
        name: 'traced',
        baseRetryDelayMs: 5,
        steps: [
          step('reserve'),
          failing('charge', new TransientError('busy'), { retries: 1, idempotent: true }),
        ],
      });
      const outcome = saga.run({ log: [] }).catch(() => undefined);
      await vi.advanceTimersByTimeAsync(5);
      await outcome;

      const steps = events.flatMap((event) =>
        event.type === 'saga.step' ? [`${event.step}:${event.phase}:${event.attempt}`] : [],
      );
      expect(events[0]).toMatchObject({ type: 'saga.created', sagaId: saga.id, name: 'traced' });
      expect(
        events[0]?.type === 'saga.created' && events[0].steps.map((s) => s.hasRollback),
      ).toEqual([true, true]);
      expect(events[1]).toMatchObject({ type: 'saga.run.started', sagaId: saga.id });
      expect(steps).toEqual([
        'reserve:started:1',
        'reserve:completed:1',
        'charge:started:1',
        'charge:retry:1',
        'charge:started:2',
        'charge:failed:2',
        'reserve:rollback.started:1',
        'reserve:rolled_back:1',
      ]);
      expect(events.at(-1)).toMatchObject({ type: 'saga.run.finished', status: 'rolled_back' });
      const retry = events.find((event) => event.type === 'saga.step' && event.phase === 'retry');
      expect(retry).toMatchObject({ delayMs: 5, error: new TransientError('busy') });
    } finally {
      traceChannel.unsubscribe(subscriber);
    }
  });

  it('lists live sagas in the snapshot', () => {
    const saga = new Saga<Order>({ name: 'snapshot-me', steps: [step('reserve', { retries: 2 })] });
    let snapshot: TraceEvent | undefined;
    const subscriber = (event: TraceEvent) => {
      if (event.type === 'snapshot') snapshot = event;
    };

    traceChannel.subscribe(subscriber);
    traceChannel.unsubscribe(subscriber);

    const listed =
      snapshot?.type === 'snapshot'
        ? snapshot.sagas.find((info) => info.sagaId === saga.id)
        : undefined;
    expect(listed).toEqual({
      sagaId: saga.id,
      name: 'snapshot-me',
      steps: [
        {
          name: 'reserve',
          critical: true,
          idempotent: false,
          retries: 2,
          timeoutMs: undefined,
          hasRollback: true,
        },
      ],
    });
  });
});
