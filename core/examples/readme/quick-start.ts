import { createSignal, createSyncSignal } from '@sigscope/core';

interface Order {
  id: string;
  total: number;
}

// Async: emit returns at once, listeners run concurrently, failures go to onError.
const orderPlaced = createSignal<Order>({ name: 'orderPlaced' });
orderPlaced.addListener(async (order) => console.log(`email for ${order.id}`), 'email');
void orderPlaced.emit({ id: 'order-1', total: 40 });

// Sync: listeners run in order; tryEmit stops at the first failure and rejects with it.
const checkout = createSyncSignal<Order>({ name: 'checkout' });
checkout.addListener((order) => {
  if (order.total <= 0) throw new RangeError(`total must be positive, got ${order.total}`);
}, 'validate');
checkout.addListener(async (order) => console.log(`charged ${order.total}`), 'charge');
await checkout.tryEmit({ id: 'order-2', total: 25 }, { signal: AbortSignal.timeout(2_000) });
