/**
 * Every signal the shop's packages talk through, with its payload type. Packages never import
 * each other: they listen to and emit these signals only.
 *
 * Two kinds appear here. Notifications are async signals ("this happened"); any number of
 * packages listen and nobody waits for them. Commands are sync signals that a saga step or the
 * order API runs with `tryEmit` ("do this, or fail"); the owning package's listener throws to
 * refuse, and the caller receives that error unchanged.
 *
 * Every payload carries an `eventId` that is unique per shop, so a listener that receives the
 * same event twice (an inspector replay) can tell.
 */
import { type AsyncSignal, createSignal, createSyncSignal, type SyncSignal } from '@sigscope/core';

/** Fields every payload carries. */
export interface EventMeta {
  /** Unique per shop instance, such as `evt-42`. */
  readonly eventId: string;
  /** ISO 8601 time the event was created. */
  readonly at: string;
}

export interface OrderItem {
  readonly sku: string;
  readonly quantity: number;
  /** Catalogue unit price in cents at the time the order was placed. */
  readonly unitPriceCents: number;
}

export interface StockItem {
  readonly sku: string;
  readonly quantity: number;
}

export interface UserRegistered extends EventMeta {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
}

/** The sync validation chain's payload: an order that is not stored yet. */
export interface OrderValidation extends EventMeta {
  readonly orderId: string;
  readonly customerId: string;
  readonly items: readonly OrderItem[];
  readonly totalCents: number;
  /** The total the client expects to pay; absent when the client did not send one. */
  readonly expectedTotalCents: number | undefined;
  readonly shippingAddress: string;
}

export interface OrderPlaced extends EventMeta {
  readonly orderId: string;
  readonly customerId: string;
  readonly items: readonly OrderItem[];
  readonly totalCents: number;
  readonly shippingAddress: string;
}

export interface OrderRejected extends EventMeta {
  readonly orderId: string;
  readonly customerId: string;
  readonly code: string;
  /** Key of the validation listener that rejected the order. */
  readonly listener: string;
  readonly message: string;
}

export interface OrderConfirmed extends EventMeta {
  readonly orderId: string;
  readonly customerId: string;
  readonly totalCents: number;
}

export interface OrderCancelled extends EventMeta {
  readonly orderId: string;
  readonly customerId: string;
  /** The fulfilment step whose failure cancelled the order. */
  readonly failedStep: string;
  readonly reason: string;
}

export interface InventoryCommand extends EventMeta {
  readonly orderId: string;
  readonly items: readonly StockItem[];
}

export interface InventoryChanged extends EventMeta {
  readonly orderId: string;
  readonly items: readonly StockItem[];
}

export interface StockLow extends EventMeta {
  readonly sku: string;
  readonly available: number;
  readonly threshold: number;
}

export interface PaymentCommand extends EventMeta {
  readonly orderId: string;
  readonly customerId: string;
  readonly amountCents: number;
}

export interface PaymentCharged extends EventMeta {
  readonly orderId: string;
  readonly paymentId: string;
  readonly amountCents: number;
}

export interface PaymentFailed extends EventMeta {
  readonly orderId: string;
  readonly amountCents: number;
  readonly reason: string;
  /** The payment gateway breaker's state after the failed call. */
  readonly breakerState: string;
}

export interface ShipmentCommand extends EventMeta {
  readonly orderId: string;
  readonly customerId: string;
  readonly address: string;
}

export interface ShipmentChanged extends EventMeta {
  readonly orderId: string;
  readonly shipmentId: string;
  readonly address: string;
}

export type NotificationTemplate = 'welcome' | 'order-confirmed' | 'order-cancelled';

export interface NotificationRequested extends EventMeta {
  readonly userId: string;
  readonly template: NotificationTemplate;
  /** Reference the message is about, such as an order id. */
  readonly subject: string;
}

/** The shop's signals. Create one set per shop with {@link createShopEvents}. */
export interface ShopEvents {
  readonly userRegistered: AsyncSignal<UserRegistered>;

  readonly validateOrder: SyncSignal<OrderValidation>;
  readonly orderPlaced: AsyncSignal<OrderPlaced>;
  readonly orderRejected: AsyncSignal<OrderRejected>;
  readonly orderConfirmed: AsyncSignal<OrderConfirmed>;
  readonly orderCancelled: AsyncSignal<OrderCancelled>;

  readonly reserveInventory: SyncSignal<InventoryCommand>;
  readonly releaseInventory: SyncSignal<InventoryCommand>;
  readonly inventoryReserved: AsyncSignal<InventoryChanged>;
  readonly inventoryReleased: AsyncSignal<InventoryChanged>;
  readonly stockLow: AsyncSignal<StockLow>;

  readonly chargePayment: SyncSignal<PaymentCommand>;
  readonly refundPayment: SyncSignal<PaymentCommand>;
  readonly paymentCharged: AsyncSignal<PaymentCharged>;
  readonly paymentFailed: AsyncSignal<PaymentFailed>;
  readonly paymentRefunded: AsyncSignal<PaymentCharged>;

  readonly createShipment: SyncSignal<ShipmentCommand>;
  readonly cancelShipment: SyncSignal<ShipmentCommand>;
  readonly shipmentCreated: AsyncSignal<ShipmentChanged>;
  readonly shipmentCancelled: AsyncSignal<ShipmentChanged>;

  readonly notificationRequested: AsyncSignal<NotificationRequested>;

  /** Returns a new `EventMeta` with the next event id and the current time. */
  nextMeta(): EventMeta;
}

/** Options for {@link createShopEvents}. */
export interface ShopEventsOptions {
  /** Receives failures of async listeners, which no caller awaits. */
  readonly onListenerError: (error: unknown, signal: string, key: string | undefined) => void;
}

/**
 * Creates the shop's signals. Signal names are what the inspector shows, so they read as
 * `package.event`.
 */
export function createShopEvents(options: ShopEventsOptions): ShopEvents {
  const onError = (error: unknown, info: { signal: string; key: string | undefined }) =>
    options.onListenerError(error, info.signal, info.key);
  const async = <T>(name: string) => createSignal<T>({ name, onError });
  const sync = <T>(name: string) => createSyncSignal<T>({ name, onError });
  let eventCount = 0;

  return {
    userRegistered: async('user.registered'),

    validateOrder: sync('order.validate'),
    orderPlaced: async('order.placed'),
    orderRejected: async('order.rejected'),
    orderConfirmed: async('order.confirmed'),
    orderCancelled: async('order.cancelled'),

    reserveInventory: sync('inventory.reserve'),
    releaseInventory: sync('inventory.release'),
    inventoryReserved: async('inventory.reserved'),
    inventoryReleased: async('inventory.released'),
    stockLow: async('inventory.stock-low'),

    chargePayment: sync('payment.charge'),
    refundPayment: sync('payment.refund'),
    paymentCharged: async('payment.charged'),
    paymentFailed: async('payment.failed'),
    paymentRefunded: async('payment.refunded'),

    createShipment: sync('shipping.create'),
    cancelShipment: sync('shipping.cancel'),
    shipmentCreated: async('shipping.created'),
    shipmentCancelled: async('shipping.cancelled'),

    notificationRequested: async('notification.requested'),

    nextMeta() {
      eventCount += 1;
      return { eventId: `evt-${eventCount}`, at: new Date().toISOString() };
    },
  };
}
