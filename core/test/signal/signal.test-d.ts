import { describe, expectTypeOf, it } from 'vitest';
import {
  type AsyncSignal,
  type Context,
  createSignal,
  createSyncSignal,
  experimental_replayEmit,
  type Listener,
  type ReplayEmitResult,
  type SyncSignal,
} from '../../src/index.js';

interface Order {
  readonly id: string;
  readonly total: number;
}

describe('createSignal types', () => {
  it('infers AsyncSignal of the payload type', () => {
    expectTypeOf(createSignal<Order>()).toEqualTypeOf<AsyncSignal<Order>>();
    expectTypeOf(createSyncSignal<Order>()).toEqualTypeOf<SyncSignal<Order>>();
  });

  it('types listener arguments from the payload', () => {
    const signal = createSyncSignal<Order>();

    signal.addListener((order, ctx) => {
      expectTypeOf(order).toEqualTypeOf<Order>();
      expectTypeOf(ctx).toEqualTypeOf<Context>();
    });
    signal.addListener(async (order) => {
      expectTypeOf(order.total).toBeNumber();
    });

    // @ts-expect-error a listener for another payload type
    signal.addListener((value: number) => value);
  });

  it('checks the emitted payload', () => {
    const signal = createSignal<Order>();

    expectTypeOf(signal.emit({ id: 'a', total: 1 })).toEqualTypeOf<Promise<void>>();
    // @ts-expect-error a payload missing a field
    void signal.emit({ id: 'a' });
    // @ts-expect-error a ctx that is not an object
    void signal.emit({ id: 'a', total: 1 }, 'ctx');
  });

  it('lets void signals emit without a payload', () => {
    const signal = createSyncSignal<void>();

    expectTypeOf(signal.emit()).toEqualTypeOf<Promise<void>>();
    expectTypeOf(signal.tryEmit()).toEqualTypeOf<Promise<void>>();
  });

  it('offers tryEmit only on sync signals', () => {
    const signal = createSignal<number>();

    // @ts-expect-error async signals have no tryEmit
    void signal.tryEmit(1);
  });

  it('returns counts from the listener methods', () => {
    const signal = createSignal<number>();

    expectTypeOf(signal.addListener(() => {}, 'key')).toBeNumber();
    expectTypeOf(signal.removeListener('key')).toBeNumber();
    expectTypeOf(signal.len()).toBeNumber();
    expectTypeOf(signal.isEmpty()).toBeBoolean();
    expectTypeOf(signal.name).toBeString();
    // @ts-expect-error name is read-only
    signal.name = 'renamed';
  });

  it('accepts values and an AbortSignal in Context', () => {
    const ctx: Context = { signal: new AbortController().signal, traceId: 'abc' };

    expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal | undefined>();
    expectTypeOf(ctx.traceId).toBeUnknown();
  });

  it('describes a listener type', () => {
    expectTypeOf<Listener<string>>().toEqualTypeOf<
      (payload: string, ctx: Context) => void | Promise<void>
    >();
  });

  it('types the replay result', () => {
    expectTypeOf(experimental_replayEmit).returns.toEqualTypeOf<Promise<ReplayEmitResult>>();
  });
});
