/**
 * The order fulfilment saga: reserve inventory, charge payment, create the shipment, send the
 * confirmation. Each step runs a command signal with `tryEmit`, so the package that owns the
 * work does it and the saga only sees success or the owner's error. When a critical step fails,
 * the saga undoes the completed steps in reverse order.
 */
import { type Context, Saga, type SagaStep, type SyncSignal } from '@sigscope/core';
import type { OrderPlaced, ShopEvents } from '../events.js';

/** One step or rollback as an order's `fulfilment` list records it. */
export interface FulfilmentEntry {
  readonly step: string;
  readonly action: 'execute' | 'rollback';
  readonly at: string;
}

export interface FulfilmentHooks {
  appendFulfilment(orderId: string, entry: FulfilmentEntry): void;
}

export const FULFILMENT_STEPS = [
  'reserve-inventory',
  'charge-payment',
  'create-shipment',
  'send-confirmation',
] as const;

export function createFulfilmentSaga(
  events: ShopEvents,
  hooks: FulfilmentHooks,
): Saga<OrderPlaced> {
  const record = (order: OrderPlaced, step: string, action: FulfilmentEntry['action']): void =>
    hooks.appendFulfilment(order.orderId, { step, action, at: new Date().toISOString() });

  const inventoryCommand = (order: OrderPlaced) => ({
    ...events.nextMeta(),
    orderId: order.orderId,
    items: order.items.map(({ sku, quantity }) => ({ sku, quantity })),
  });
  const paymentCommand = (order: OrderPlaced) => ({
    ...events.nextMeta(),
    orderId: order.orderId,
    customerId: order.customerId,
    amountCents: order.totalCents,
  });
  const shipmentCommand = (order: OrderPlaced) => ({
    ...events.nextMeta(),
    orderId: order.orderId,
    customerId: order.customerId,
    address: order.shippingAddress,
  });

  // A step whose work and undo are each a command signal owned by another package.
  const commandStep = <C>(
    name: (typeof FULFILMENT_STEPS)[number],
    execute: SyncSignal<C>,
    rollback: SyncSignal<C>,
    command: (order: OrderPlaced) => C,
  ): SagaStep<OrderPlaced> => ({
    name,
    async execute(order: OrderPlaced, ctx: Context) {
      record(order, name, 'execute');
      await execute.tryEmit(command(order), ctx);
    },
    async rollback(order: OrderPlaced, ctx: Context) {
      record(order, name, 'rollback');
      await rollback.tryEmit(command(order), ctx);
    },
  });

  return new Saga<OrderPlaced>({
    name: 'order-fulfilment',
    steps: [
      commandStep(
        'reserve-inventory',
        events.reserveInventory,
        events.releaseInventory,
        inventoryCommand,
      ),
      commandStep('charge-payment', events.chargePayment, events.refundPayment, paymentCommand),
      commandStep('create-shipment', events.createShipment, events.cancelShipment, shipmentCommand),
      {
        // A lost confirmation email does not undo a paid, shipped order.
        name: 'send-confirmation',
        critical: false,
        async execute(order: OrderPlaced, ctx: Context) {
          record(order, 'send-confirmation', 'execute');
          await events.notificationRequested.emit(
            {
              ...events.nextMeta(),
              userId: order.customerId,
              template: 'order-confirmed',
              subject: order.orderId,
            },
            ctx,
          );
        },
      },
    ],
  });
}
