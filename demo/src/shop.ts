/**
 * Wires the shop's packages to one set of signals. Each call builds an independent shop with its
 * own signals and in-memory state, so tests can run several side by side.
 */
import { type AnalyticsPackage, createAnalytics } from './analytics/index.js';
import { type AuditPackage, createAudit } from './audit/index.js';
import { type AuthPackage, createAuth } from './auth/index.js';
import { createShopEvents, type ShopEvents } from './events.js';
import {
  createInventory,
  type InventoryOptions,
  type InventoryPackage,
} from './inventory/index.js';
import {
  createNotifications,
  type NotificationsOptions,
  type NotificationsPackage,
} from './notifications/index.js';
import { createOrders, type OrdersOptions, type OrdersPackage } from './orders/index.js';
import { createPayment, type PaymentOptions, type PaymentPackage } from './payment/index.js';
import { ReplayLog } from './replays.js';
import { createShipping, type ShippingPackage } from './shipping/index.js';

/** Options for {@link createShop}; each group goes to the package of the same name. */
export interface ShopOptions {
  readonly inventory?: InventoryOptions;
  readonly orders?: OrdersOptions;
  readonly payment?: PaymentOptions;
  readonly notifications?: NotificationsOptions;
  /** Receives failures of async listeners. @default writes one line to stderr per failure */
  readonly onListenerError?: (error: unknown, signal: string, key: string | undefined) => void;
}

export interface Shop {
  readonly events: ShopEvents;
  readonly auth: AuthPackage;
  readonly orders: OrdersPackage;
  readonly inventory: InventoryPackage;
  readonly payment: PaymentPackage;
  readonly shipping: ShippingPackage;
  readonly notifications: NotificationsPackage;
  readonly audit: AuditPackage;
  readonly analytics: AnalyticsPackage;
  readonly replays: ReplayLog;
  /** Stops the shop's timers and removes every listener. */
  dispose(): void;
}

/** Creates a shop. The order of the calls below is the order of the validation chain. */
export function createShop(options: ShopOptions = {}): Shop {
  const onListenerError = options.onListenerError ?? logListenerError;
  const events = createShopEvents({ onListenerError });
  const replays = new ReplayLog();

  const auth = createAuth(events);
  const orders = createOrders(events, replays, options.orders);
  const inventory = createInventory(events, replays, options.inventory);
  const payment = createPayment(events, replays, options.payment);
  const shipping = createShipping(events, replays);
  const notifications = createNotifications(events, replays, options.notifications);
  const audit = createAudit(events);
  const analytics = createAnalytics(events);

  return {
    events,
    auth,
    orders,
    inventory,
    payment,
    shipping,
    notifications,
    audit,
    analytics,
    replays,
    dispose() {
      notifications.dispose();
      analytics.dispose();
      for (const value of Object.values(events)) {
        if (typeof value === 'object' && value !== null && 'reset' in value) value.reset();
      }
    },
  };
}

function logListenerError(error: unknown, signal: string, key: string | undefined): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`[demo] listener ${key ?? '(no key)'} on ${signal} failed: ${message}`);
}
