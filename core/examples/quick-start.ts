/// <reference types="node" />
// A tour of @sigscope/core: an async signal, a sync chain with tryEmit, cancellation and the
// tracing hook. core/test/examples/quick-start.test.ts runs it and checks what it prints;
// run directly, it prints to the console.
import { pathToFileURL } from 'node:url';
import { createSignal, createSyncSignal, type TraceEvent, traceChannel } from '@sigscope/core';

interface Order {
  readonly id: string;
  readonly total: number;
}

class ValidationError extends Error {
  override readonly name = 'ValidationError';
}

/** Runs the tour and passes each line it prints to `print`. */
export async function runQuickStart(print: (line: string) => void = console.log): Promise<void> {
  // Tracing is opt-in: this subscriber receives every emit from here on.
  const onTrace = (event: TraceEvent) => {
    if (event.type === 'chain.finished') print(`trace: chain ${event.outcome}`);
  };
  traceChannel.subscribe(onTrace);

  // An async signal: emit returns at once, listeners run concurrently, failures go to onError.
  const orderPlaced = createSignal<Order>({
    name: 'orderPlaced',
    onError: (error, info) => print(`onError: listener ${info.index} failed: ${String(error)}`),
  });
  orderPlaced.addListener(async (order) => print(`email sent for ${order.id}`), 'email');
  orderPlaced.addListener(() => {
    throw new Error('analytics is down');
  }, 'analytics');
  await orderPlaced.emit({ id: 'order-1', total: 40 });

  // A sync signal: listeners run in order, and tryEmit stops at the first failure.
  const checkout = createSyncSignal<Order>({ name: 'checkout' });
  checkout.addListener((order) => {
    if (order.total <= 0) throw new ValidationError(`total must be positive, got ${order.total}`);
    print(`validated ${order.id}`);
  }, 'validate');
  checkout.addListener(async (order) => print(`charged ${order.total} for ${order.id}`), 'charge');

  await checkout.tryEmit({ id: 'order-2', total: 25 });
  try {
    await checkout.tryEmit({ id: 'order-3', total: 0 });
  } catch (error) {
    if (error instanceof ValidationError) print(`rejected: ${error.message}`);
  }

  // Cancellation: an aborted ctx.signal stops the chain and tryEmit rejects with its reason.
  const controller = new AbortController();
  controller.abort();
  try {
    await checkout.tryEmit({ id: 'order-4', total: 10 }, { signal: controller.signal });
  } catch (error) {
    print(`cancelled: ${(error as DOMException).name}`);
  }

  traceChannel.unsubscribe(onTrace);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runQuickStart();
}
