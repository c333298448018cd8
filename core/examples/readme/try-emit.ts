import { createSyncSignal } from '@sigscope/core';

class ValidationError extends Error {}

const checkout = createSyncSignal<{ id: string; total: number }>({ name: 'checkout' });
checkout.addListener((order) => {
  if (order.total <= 0) throw new ValidationError('total must be positive');
}, 'validate');
checkout.addListener((order) => console.log(`charged ${order.id}`), 'charge');

try {
  await checkout.tryEmit({ id: 'order-3', total: 0 });
} catch (error) {
  if (!(error instanceof ValidationError)) throw error;
  console.log(`rejected: ${error.message}`);
}
