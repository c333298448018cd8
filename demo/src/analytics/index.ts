/**
 * Analytics: an event aggregator merges the shop's business signals into one stream, and a
 * listener on that stream keeps counters.
 */
import { type AggregatedEvent, EventAggregator } from '@sigscope/core';
import type { OrderConfirmed, OrderRejected, ShopEvents } from '../events.js';

export interface AnalyticsSnapshot {
  /** Aggregated events per type, such as `{ "order.placed": 3 }`. */
  readonly eventsByType: Readonly<Record<string, number>>;
  /** Rejected orders per rejection code. */
  readonly rejectionsByCode: Readonly<Record<string, number>>;
  /** Sum of confirmed order totals. */
  readonly revenueCents: number;
  /** Distinct HTTP request trace ids seen on the stream. */
  readonly tracedRequests: number;
}

export interface AnalyticsPackage {
  readonly aggregator: EventAggregator;
  snapshot(): AnalyticsSnapshot;
  dispose(): void;
}

/** Caps the set of remembered trace ids, so a long traffic run does not grow it without bound. */
const MAX_TRACKED_TRACE_IDS = 10_000;

export function createAnalytics(events: ShopEvents): AnalyticsPackage {
  const aggregator = new EventAggregator({ name: 'shop-activity' });
  const eventsByType = new Map<string, number>();
  const rejectionsByCode = new Map<string, number>();
  const traceIds = new Set<string | number>();
  let tracedRequests = 0;
  let revenueCents = 0;

  aggregator.attach(events.userRegistered, { type: 'user.registered', source: 'auth' });
  aggregator.attach(events.orderPlaced, { type: 'order.placed', source: 'orders' });
  aggregator.attach(events.orderRejected, { type: 'order.rejected', source: 'orders' });
  aggregator.attach(events.orderConfirmed, { type: 'order.confirmed', source: 'orders' });
  aggregator.attach(events.orderCancelled, { type: 'order.cancelled', source: 'orders' });
  aggregator.attach(events.paymentFailed, { type: 'payment.failed', source: 'payment' });

  aggregator.events.addListener(function countEvent(event: AggregatedEvent) {
    eventsByType.set(event.type, (eventsByType.get(event.type) ?? 0) + 1);

    if (event.type === 'order.rejected') {
      const { code } = event.data as OrderRejected;
      rejectionsByCode.set(code, (rejectionsByCode.get(code) ?? 0) + 1);
    }
    if (event.type === 'order.confirmed') {
      revenueCents += (event.data as OrderConfirmed).totalCents;
    }
    if (event.traceId !== undefined && !traceIds.has(event.traceId)) {
      tracedRequests += 1;
      traceIds.add(event.traceId);
      if (traceIds.size > MAX_TRACKED_TRACE_IDS) traceIds.clear();
    }
  }, 'analytics.count');

  return {
    aggregator,
    snapshot: () => ({
      eventsByType: Object.fromEntries(eventsByType),
      rejectionsByCode: Object.fromEntries(rejectionsByCode),
      revenueCents,
      tracedRequests,
    }),
    dispose: () => aggregator.dispose(),
  };
}
