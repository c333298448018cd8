/**
 * Orders: places orders through the validation chain, keeps them, records their events in an
 * event store, and runs the fulfilment saga when an order is placed.
 */
import { type Context, EventStore, type Saga } from '@sigscope/core';
import { findProduct } from '../catalog.js';
import { InvalidItemError, OrderRejectedError, PriceMismatchError } from '../errors.js';
import type { OrderItem, OrderPlaced, ShopEvents } from '../events.js';
import type { ReplayLog } from '../replays.js';
import { createFulfilmentSaga, type FulfilmentEntry } from './fulfilment.js';

export type OrderStatus = 'rejected' | 'pending' | 'confirmed' | 'cancelled';

export interface Order {
  readonly id: string;
  readonly customerId: string;
  readonly items: readonly OrderItem[];
  readonly totalCents: number;
  readonly shippingAddress: string;
  readonly status: OrderStatus;
  readonly createdAt: string;
  /** Set when the validation chain rejected the order. */
  readonly rejection?: {
    readonly code: string;
    readonly listener: string;
    readonly message: string;
  };
  /** Set when a fulfilment step failed and the saga rolled the order back. */
  readonly cancellation?: { readonly failedStep: string; readonly reason: string };
  /** Fulfilment steps and rollbacks in the order they ran. */
  readonly fulfilment: readonly FulfilmentEntry[];
}

export interface OrderInput {
  readonly customerId: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number }[];
  readonly shippingAddress: string;
  readonly expectedTotalCents?: number | undefined;
}

export interface OrdersOptions {
  /** Units per order line above which the line is invalid. @default 20 */
  readonly maxQuantityPerItem?: number;
}

export interface OrdersPackage {
  /**
   * Validates and places an order. Resolves with the stored order: `rejected` when the
   * validation chain refused it, else `confirmed` or `cancelled` once fulfilment has run.
   */
  place(input: OrderInput, ctx?: Context): Promise<Order>;
  get(orderId: string): Order | undefined;
  listOrders(): readonly Order[];
  readonly eventStore: EventStore;
  readonly saga: Saga<OrderPlaced>;
}

export const VALIDATE_ITEMS = 'orders.validate-items';
export const CHECK_PRICE = 'orders.check-price';

export function createOrders(
  events: ShopEvents,
  replays: ReplayLog,
  options: OrdersOptions = {},
): OrdersPackage {
  const maxQuantityPerItem = options.maxQuantityPerItem ?? 20;
  const orders = new Map<string, Order>();
  const eventStore = new EventStore({ name: 'order-events' });

  const update = (orderId: string, change: Partial<Order>): void => {
    const order = orders.get(orderId);
    if (order !== undefined) orders.set(orderId, { ...order, ...change });
  };
  const appendFulfilment = (orderId: string, entry: FulfilmentEntry): void => {
    const order = orders.get(orderId);
    if (order !== undefined)
      orders.set(orderId, { ...order, fulfilment: [...order.fulfilment, entry] });
  };

  events.validateOrder.addListener(function validateItems(order) {
    if (order.items.length === 0)
      throw new InvalidItemError('(none)', VALIDATE_ITEMS, 'the order has no items');
    for (const item of order.items) {
      if (findProduct(item.sku) === undefined) {
        throw new InvalidItemError(item.sku, VALIDATE_ITEMS, 'the catalogue has no such SKU');
      }
      if (item.quantity > maxQuantityPerItem) {
        throw new InvalidItemError(
          item.sku,
          VALIDATE_ITEMS,
          `quantity ${item.quantity} is above the limit of ${maxQuantityPerItem} per order line`,
        );
      }
    }
  }, VALIDATE_ITEMS);

  events.validateOrder.addListener(function checkPrice(order) {
    if (order.expectedTotalCents !== undefined && order.expectedTotalCents !== order.totalCents) {
      throw new PriceMismatchError(order.expectedTotalCents, order.totalCents, CHECK_PRICE);
    }
  }, CHECK_PRICE);

  const saga = createFulfilmentSaga(events, { appendFulfilment });

  events.orderPlaced.addListener(async function startFulfilment(placed, ctx) {
    const isReplay = replays.checkDelivery(
      'order.placed',
      'orders.start-fulfilment',
      placed.eventId,
      ctx,
    );
    // A replayed order.placed is recorded but never fulfils an order a second time.
    if (isReplay || orders.get(placed.orderId)?.status !== 'pending') return;

    try {
      await saga.run(placed, ctx);
      update(placed.orderId, { status: 'confirmed' });
      eventStore.append('OrderConfirmed', { orderId: placed.orderId });
      void events.orderConfirmed.emit(
        {
          ...events.nextMeta(),
          orderId: placed.orderId,
          customerId: placed.customerId,
          totalCents: placed.totalCents,
        },
        ctx,
      );
    } catch (error) {
      const cancellation = describeSagaFailure(error);
      update(placed.orderId, { status: 'cancelled', cancellation });
      eventStore.append('OrderCancelled', { orderId: placed.orderId, ...cancellation });
      void events.orderCancelled.emit(
        {
          ...events.nextMeta(),
          orderId: placed.orderId,
          customerId: placed.customerId,
          ...cancellation,
        },
        ctx,
      );
    }
  }, 'orders.start-fulfilment');

  async function place(input: OrderInput, ctx: Context = {}): Promise<Order> {
    const orderId = `o-${orders.size + 1}`;
    const items: OrderItem[] = input.items.map((item) => ({
      sku: item.sku,
      quantity: item.quantity,
      unitPriceCents: findProduct(item.sku)?.priceCents ?? 0,
    }));
    const totalCents = items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);
    const base = {
      id: orderId,
      customerId: input.customerId,
      items,
      totalCents,
      shippingAddress: input.shippingAddress,
      createdAt: new Date().toISOString(),
      fulfilment: [],
    };

    try {
      await events.validateOrder.tryEmit(
        {
          ...events.nextMeta(),
          orderId,
          customerId: input.customerId,
          items,
          totalCents,
          expectedTotalCents: input.expectedTotalCents,
          shippingAddress: input.shippingAddress,
        },
        ctx,
      );
    } catch (error) {
      if (!(error instanceof OrderRejectedError)) throw error;

      const rejection = { code: error.code, listener: error.listener, message: error.message };
      const rejected: Order = { ...base, status: 'rejected', rejection };
      orders.set(orderId, rejected);
      eventStore.append('OrderRejected', { orderId, customerId: input.customerId, ...rejection });
      await events.orderRejected.emit(
        { ...events.nextMeta(), orderId, customerId: input.customerId, ...rejection },
        ctx,
      );
      return rejected;
    }

    orders.set(orderId, { ...base, status: 'pending' });
    eventStore.append('OrderPlaced', { orderId, customerId: input.customerId, items, totalCents });
    // The async emit resolves once every listener settled, fulfilment included.
    await events.orderPlaced.emit(
      {
        ...events.nextMeta(),
        orderId,
        customerId: input.customerId,
        items,
        totalCents,
        shippingAddress: input.shippingAddress,
      },
      ctx,
    );
    return orders.get(orderId)!;
  }

  return {
    place,
    get: (orderId) => orders.get(orderId),
    listOrders: () => [...orders.values()],
    eventStore,
    saga,
  };
}

/** Reads the failing step's name and error from the error a rolled-back saga rejects with. */
function describeSagaFailure(error: unknown): { failedStep: string; reason: string } {
  const failedStep =
    typeof error === 'object' && error !== null && 'step' in error && typeof error.step === 'string'
      ? error.step
      : 'unknown';
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return { failedStep, reason };
}
