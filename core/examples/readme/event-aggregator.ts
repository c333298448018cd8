import { createSignal, createSyncSignal, EventAggregator } from '@sigscope/core';

const logins = createSignal<{ userId: string }>({ name: 'logins' });
const orders = createSyncSignal<{ total: number }>({ name: 'orders' });

const activity = new EventAggregator({ name: 'activity' });
activity.attach(logins, { type: 'user', source: 'auth' });
activity.attach(orders, { type: 'order' });
activity.setFilter('order', (event) => (event.data as { total: number }).total >= 100);
activity.events.addListener(({ type, source, traceId, data }) =>
  console.log(type, source, traceId, JSON.stringify(data)),
);

await logins.emit({ userId: 'u1' }, { traceId: 'req-42' });
await orders.emit({ total: 20 }); // filtered out
await orders.emit({ total: 250 });
await Promise.resolve(); // the stream's emit runs after the source listener returns
