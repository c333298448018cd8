import { describe, expectTypeOf, it } from 'vitest';
import {
  type AggregatedEvent,
  type AsyncSignal,
  type BreakerStateChange,
  CircuitBreaker,
  type Context,
  createRateLimitedSignal,
  createSignal,
  EventAggregator,
  EventStore,
  type RateLimitedEmitResult,
  Saga,
  type SagaRunRecord,
  type StoredEvent,
} from '../../src/index.js';

interface Order {
  readonly id: string;
  total: number;
}

describe('CircuitBreaker types', () => {
  it('infers the result of call from fn', () => {
    const breaker = new CircuitBreaker();

    expectTypeOf(breaker.call(() => 42)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(breaker.call(async () => 'text')).toEqualTypeOf<Promise<string>>();
    breaker.call((ctx) => {
      expectTypeOf(ctx).toEqualTypeOf<Context>();
    });
    expectTypeOf(breaker.stateChanged).toEqualTypeOf<AsyncSignal<BreakerStateChange>>();
  });
});

describe('Saga types', () => {
  it('types steps and records from D', () => {
    const saga = new Saga<Order>({
      steps: [
        {
          name: 'charge',
          execute: (order, ctx) => {
            expectTypeOf(order).toEqualTypeOf<Order>();
            expectTypeOf(ctx).toEqualTypeOf<Context>();
          },
        },
      ],
    });

    expectTypeOf(saga.run({ id: 'o1', total: 5 })).toEqualTypeOf<Promise<SagaRunRecord<Order>>>();
    // @ts-expect-error: run requires the saga's data type
    void saga.run({ id: 'o1' });
  });
});

describe('EventStore types', () => {
  it('types appended data and records from T', () => {
    const store = new EventStore<Order>();

    expectTypeOf(store.append('created', { id: 'o1', total: 5 })).toEqualTypeOf<
      StoredEvent<Order>
    >();
    // @ts-expect-error: append requires the store's data type
    store.append('created', { total: 'five' });
    expectTypeOf(store.events()).toEqualTypeOf<StoredEvent<Order>[]>();
  });
});

describe('RateLimitedSignal types', () => {
  it('types emit from the payload type', () => {
    const limited = createRateLimitedSignal<Order>({ ratePerSecond: 1 });

    expectTypeOf(limited.emit({ id: 'o1', total: 5 })).toEqualTypeOf<RateLimitedEmitResult>();
    // @ts-expect-error: emit requires the payload type
    limited.emit('order');
    expectTypeOf(limited.signal).toEqualTypeOf<AsyncSignal<Order>>();
  });
});

describe('EventAggregator types', () => {
  it('accepts any signal and emits AggregatedEvent', () => {
    const aggregator = new EventAggregator();

    expectTypeOf(aggregator.attach(createSignal<Order>(), { type: 'order' })).toEqualTypeOf<
      () => void
    >();
    expectTypeOf(aggregator.events).toEqualTypeOf<AsyncSignal<AggregatedEvent>>();
  });
});
