/**
 * Audit: keeps a bounded, append-only log of what happened in the shop, written by listeners on
 * the notification signals.
 */
import type { AsyncSignal } from '@sigscope/core';
import type { EventMeta, ShopEvents } from '../events.js';

export interface AuditEntry {
  readonly seq: number;
  readonly signal: string;
  readonly eventId: string;
  readonly at: string;
  /** A one-line summary of the payload. */
  readonly summary: string;
}

export interface AuditOptions {
  /** Entries kept; older ones are dropped. @default 1000 */
  readonly maxEntries?: number;
}

export interface AuditPackage {
  /** The newest `count` entries, oldest first. */
  tail(count: number): readonly AuditEntry[];
  /** Entries written since the shop started, dropped ones included. */
  readonly total: number;
}

export function createAudit(events: ShopEvents, options: AuditOptions = {}): AuditPackage {
  const maxEntries = options.maxEntries ?? 1000;
  const entries: AuditEntry[] = [];
  let total = 0;

  function watch<T extends EventMeta>(
    signal: AsyncSignal<T>,
    name: string,
    summarize: (payload: T) => string,
  ) {
    signal.addListener(function recordAudit(payload) {
      total += 1;
      entries.push({
        seq: total,
        signal: name,
        eventId: payload.eventId,
        at: payload.at,
        summary: summarize(payload),
      });
      if (entries.length > maxEntries) entries.shift();
    }, 'audit.record');
  }

  watch(
    events.userRegistered,
    'user.registered',
    (e) => `user ${e.userId} registered as ${e.email}`,
  );
  watch(
    events.orderPlaced,
    'order.placed',
    (e) => `order ${e.orderId} placed by ${e.customerId} for ${e.totalCents} cents`,
  );
  watch(
    events.orderRejected,
    'order.rejected',
    (e) => `order ${e.orderId} rejected by ${e.listener}: ${e.code}`,
  );
  watch(events.orderConfirmed, 'order.confirmed', (e) => `order ${e.orderId} confirmed`);
  watch(
    events.orderCancelled,
    'order.cancelled',
    (e) => `order ${e.orderId} cancelled at ${e.failedStep}: ${e.reason}`,
  );
  watch(
    events.paymentCharged,
    'payment.charged',
    (e) => `order ${e.orderId} charged ${e.amountCents} cents (${e.paymentId})`,
  );
  watch(
    events.paymentFailed,
    'payment.failed',
    (e) => `charge for order ${e.orderId} failed: ${e.reason}`,
  );
  watch(
    events.paymentRefunded,
    'payment.refunded',
    (e) => `order ${e.orderId} refunded ${e.amountCents} cents`,
  );
  watch(
    events.shipmentCreated,
    'shipping.created',
    (e) => `shipment ${e.shipmentId} created for order ${e.orderId}`,
  );
  watch(
    events.shipmentCancelled,
    'shipping.cancelled',
    (e) => `shipment ${e.shipmentId} cancelled`,
  );

  return {
    tail: (count) => entries.slice(-count),
    get total() {
      return total;
    },
  };
}
