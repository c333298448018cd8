import { type ChainFinishedEvent, type TraceEvent, traceChannel } from '@sigscope/core';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { registerUser, request, startTestDemo } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

/** Collects chain.finished trace events while `run` runs. */
async function captureChains(run: () => Promise<void>): Promise<ChainFinishedEvent[]> {
  const chains: ChainFinishedEvent[] = [];
  const subscriber = (event: TraceEvent) => {
    if (event.type === 'chain.finished') chains.push(event);
  };
  traceChannel.subscribe(subscriber);
  try {
    await run();
  } finally {
    traceChannel.unsubscribe(subscriber);
  }
  return chains;
}

describe('order validation chain', () => {
  test('rejects out-of-stock order at check-stock', async () => {
    const demo = await startTestDemo();
    const customerId = await registerUser(demo);
    let response: Awaited<ReturnType<typeof request>> | undefined;

    const chains = await captureChains(async () => {
      response = await request(demo, 'POST', '/api/orders', {
        customerId,
        items: [{ sku: 'RC-606', quantity: 1 }],
        shippingAddress: '1 Elm Street',
      });
    });

    expect(response?.status).toBe(422);
    expect(response?.body.order.status).toBe('rejected');
    expect(response?.body.order.rejection).toMatchObject({
      code: 'out_of_stock',
      listener: 'inventory.check-stock',
    });
    const chain = chains.find((event) => event.outcome === 'failed');
    expect(chain?.failedKey).toBe('inventory.check-stock');
    expect(chain?.error).toMatchObject({ name: 'OutOfStockError', sku: 'RC-606' });
    expect(chain?.skipped.map((listener) => listener.key)).toEqual(['payment.fraud-check']);
  });

  test.each([
    ['unknown customer', { customerId: 'u-0' }, 'unknown_customer', 'auth.validate-customer'],
    [
      'unknown SKU',
      { items: [{ sku: 'XX-000', quantity: 1 }] },
      'invalid_item',
      'orders.validate-items',
    ],
    ['price mismatch', { expectedTotalCents: 1 }, 'price_mismatch', 'orders.check-price'],
    [
      'fraud limit',
      { items: [{ sku: 'HD-404', quantity: 8 }] },
      'fraud_suspected',
      'payment.fraud-check',
    ],
  ])('rejects %s', async (_case, override, code, listener) => {
    const demo = await startTestDemo();
    const customerId = await registerUser(demo);
    const response = await request(demo, 'POST', '/api/orders', {
      customerId,
      items: [{ sku: 'KB-101', quantity: 1 }],
      shippingAddress: '1 Elm Street',
      ...override,
    });
    expect(response.status).toBe(422);
    expect(response.body.order.rejection).toMatchObject({ code, listener });
  });

  test('stores rejected order in the event store', async () => {
    const demo = await startTestDemo();
    await request(demo, 'POST', '/api/orders', {
      customerId: 'u-0',
      items: [{ sku: 'KB-101', quantity: 1 }],
      shippingAddress: '1 Elm Street',
    });
    const events = await request(demo, 'GET', '/api/events');
    expect(events.body.events[0]).toMatchObject({ type: 'OrderRejected', version: 1 });
  });
});

describe('payment gateway breaker', () => {
  const order = (customerId: string) => ({
    customerId,
    items: [{ sku: 'CB-505', quantity: 1 }],
    shippingAddress: '1 Elm Street',
  });

  test('opens after forced failures and recovers', async () => {
    // The breaker reads performance.now() for its recovery timeout; timers stay real.
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    const demo = await startTestDemo({
      shop: { payment: { failureThreshold: 2, recoveryTimeoutMs: 50, successThreshold: 1 } },
    });
    const customerId = await registerUser(demo);
    await request(demo, 'POST', '/api/gateway/fail');

    for (let attempt = 0; attempt < 2; attempt++) {
      const failed = await request(demo, 'POST', '/api/orders', order(customerId));
      expect(failed.body.order.status).toBe('cancelled');
      expect(failed.body.order.cancellation.failedStep).toBe('charge-payment');
    }
    expect(demo.shop.payment.breaker.state).toBe('open');

    const rejected = await request(demo, 'POST', '/api/orders', order(customerId));
    expect(rejected.body.order.cancellation.reason).toContain('circuit is open');
    const state = await request(demo, 'GET', '/api/state');
    expect(state.body.breaker.counters.rejections).toBe(1);
    expect(state.body.gateway.charges).toBe(2);

    await request(demo, 'POST', '/api/gateway/recover');
    vi.advanceTimersByTime(60);
    const recovered = await request(demo, 'POST', '/api/orders', order(customerId));
    expect(recovered.body.order.status).toBe('confirmed');
    expect(demo.shop.payment.breaker.state).toBe('closed');
  });

  test('records transitions in state', async () => {
    const demo = await startTestDemo({ shop: { payment: { failureThreshold: 1 } } });
    const customerId = await registerUser(demo);
    await request(demo, 'POST', '/api/gateway/fail');
    await request(demo, 'POST', '/api/orders', order(customerId));
    const state = await request(demo, 'GET', '/api/state');
    expect(state.body.breaker.state).toBe('open');
    expect(state.body.breaker.transitions).toEqual([
      expect.objectContaining({ from: 'closed', to: 'open' }),
    ]);
  });
});

describe('fulfilment saga', () => {
  test('rolls back in reverse order when shipping fails', async () => {
    const demo = await startTestDemo();
    const customerId = await registerUser(demo);
    await request(demo, 'POST', '/api/shipping/fail');

    const response = await request(demo, 'POST', '/api/orders', {
      customerId,
      items: [{ sku: 'KB-101', quantity: 2 }],
      shippingAddress: '1 Elm Street',
    });

    expect(response.status).toBe(201);
    expect(response.body.order.status).toBe('cancelled');
    expect(response.body.order.cancellation.failedStep).toBe('create-shipment');
    const steps = response.body.order.fulfilment.map(
      (entry: { step: string; action: string }) => `${entry.action}:${entry.step}`,
    );
    expect(steps).toEqual([
      'execute:reserve-inventory',
      'execute:charge-payment',
      'execute:create-shipment',
      'rollback:charge-payment',
      'rollback:reserve-inventory',
    ]);
  });

  test('rollback restores stock and refunds', async () => {
    const demo = await startTestDemo();
    const customerId = await registerUser(demo);
    await request(demo, 'POST', '/api/orders', {
      customerId,
      items: [{ sku: 'KB-101', quantity: 2 }],
      shippingAddress: '9 Nowhere Lane',
    });
    const state = await request(demo, 'GET', '/api/state');
    expect(state.body.stock['KB-101']).toBe(40);
    expect(state.body.payments).toEqual({ charged: 0, refunded: 1 });
    expect(state.body.orders.list[0].cancellation.reason).toContain('not deliverable');
  });
});

describe('replayed emits', () => {
  test('repeated order.placed is counted, not refulfilled', async () => {
    const demo = await startTestDemo();
    const customerId = await registerUser(demo);
    const placed: unknown[] = [];
    demo.shop.events.orderPlaced.addListener((payload) => {
      placed.push(payload);
    }, 'test.capture');
    await request(demo, 'POST', '/api/orders', {
      customerId,
      items: [{ sku: 'KB-101', quantity: 1 }],
      shippingAddress: '1 Elm Street',
    });

    await demo.shop.events.orderPlaced.emit(placed[0] as never);

    const state = await request(demo, 'GET', '/api/state');
    expect(state.body.replays.bySignal['order.placed']).toBe(1);
    expect(state.body.replays.recent[0]).toMatchObject({ listener: 'orders.start-fulfilment' });
    expect(state.body.stock['KB-101']).toBe(39);
  });

  test('repeated notification is resent as a replay', async () => {
    const demo = await startTestDemo();
    const requested: unknown[] = [];
    demo.shop.events.notificationRequested.addListener((payload) => {
      requested.push(payload);
    }, 'test.capture');
    await registerUser(demo);

    await demo.shop.events.notificationRequested.emit(requested[0] as never);

    const state = await request(demo, 'GET', '/api/state');
    expect(state.body.replays.bySignal['notification.requested']).toBe(1);
    expect(
      state.body.notifications.outbox.map((email: { replay: boolean }) => email.replay),
    ).toEqual([false, true]);
  });
});
