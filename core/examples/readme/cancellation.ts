import { createSyncSignal } from '@sigscope/core';

const checkout = createSyncSignal<string>({ name: 'checkout' });
// This listener ignores ctx.signal; tryEmit rejects on abort without waiting for it.
checkout.addListener(() => new Promise<void>(() => {}), 'slow');
checkout.addListener((id) => console.log(`never runs for ${id}`), 'after');

const controller = new AbortController();
const pending = checkout.tryEmit('order-4', { signal: controller.signal });
controller.abort();
try {
  await pending;
} catch (error) {
  console.log(`cancelled: ${(error as DOMException).name}`);
}

try {
  await checkout.tryEmit('order-5', { signal: AbortSignal.abort(new Error('shutting down')) });
} catch (error) {
  console.log(`not started: ${(error as Error).message}`);
}
