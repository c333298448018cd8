/** Builds the body of `GET /api/state`: a read-only view across every package of a shop. */
import type { Shop } from './shop.js';

/** Audit entries `GET /api/state` includes. */
const AUDIT_TAIL_LENGTH = 20;
/** Newest orders and shipments `GET /api/state` lists; the counts cover all of them. */
const MAX_LISTED = 100;

export function describeShopState(shop: Shop) {
  const payment = shop.payment.snapshot();
  const inventory = shop.inventory.snapshot();
  const shipping = shop.shipping.snapshot();
  const orders = shop.orders.listOrders();
  const countByStatus: Record<string, number> = {
    rejected: 0,
    pending: 0,
    confirmed: 0,
    cancelled: 0,
  };
  for (const order of orders) countByStatus[order.status] = (countByStatus[order.status] ?? 0) + 1;

  return {
    users: shop.auth.listUsers(),
    orders: {
      total: orders.length,
      byStatus: countByStatus,
      list: orders.slice(-MAX_LISTED).map((order) => ({
        id: order.id,
        customerId: order.customerId,
        status: order.status,
        totalCents: order.totalCents,
        rejection: order.rejection,
        cancellation: order.cancellation,
      })),
    },
    stock: inventory.stock,
    inventory: {
      reservations: Object.keys(inventory.reservations).length,
      restocks: inventory.restocks,
    },
    gateway: payment.gateway,
    breaker: payment.breaker,
    payments: {
      charged: payment.payments.filter((p) => p.status === 'charged').length,
      refunded: payment.payments.filter((p) => p.status === 'refunded').length,
    },
    shipping: { ...shipping, shipments: shipping.shipments.slice(-MAX_LISTED) },
    notifications: shop.notifications.snapshot(),
    audit: { total: shop.audit.total, tail: shop.audit.tail(AUDIT_TAIL_LENGTH) },
    analytics: shop.analytics.snapshot(),
    eventStore: { name: shop.orders.eventStore.name, version: shop.orders.eventStore.version },
    replays: shop.replays.summary(),
  };
}

export type ShopState = ReturnType<typeof describeShopState>;
