/**
 * Payment: charges orders through a fake payment gateway guarded by a circuit breaker, refunds
 * them when fulfilment rolls back, and runs the fraud check in the validation chain.
 */
import { type BreakerState, CircuitBreaker } from '@sigscope/core';
import { FraudSuspectedError, PaymentGatewayError } from '../errors.js';
import type { ShopEvents } from '../events.js';
import type { ReplayLog } from '../replays.js';

export interface PaymentOptions {
  /** Order totals above this many cents fail the fraud check. @default 150000 */
  readonly fraudLimitCents?: number;
  /** Milliseconds the fake gateway takes per charge. @default 0 */
  readonly gatewayLatencyMs?: number;
  /** Consecutive gateway failures that open the breaker. @default 3 */
  readonly failureThreshold?: number;
  /** Milliseconds the breaker stays open before a trial call. @default 10000 */
  readonly recoveryTimeoutMs?: number;
  /** Successful trial calls that close the breaker again. @default 2 */
  readonly successThreshold?: number;
  /** Milliseconds after which a gateway call counts as timed out. @default 2000 */
  readonly callTimeoutMs?: number;
}

export interface Payment {
  readonly id: string;
  readonly orderId: string;
  readonly amountCents: number;
  readonly status: 'charged' | 'refunded';
}

export interface PaymentSnapshot {
  readonly gateway: {
    readonly failing: boolean;
    readonly charges: number;
    readonly failures: number;
  };
  readonly breaker: {
    readonly name: string;
    readonly state: BreakerState;
    readonly counters: Readonly<Record<string, number>>;
    readonly transitions: readonly {
      readonly from: string;
      readonly to: string;
      readonly reason: string;
    }[];
  };
  readonly payments: readonly Payment[];
}

export interface PaymentPackage {
  /** Makes the fake gateway fail every charge (`true`) or succeed again (`false`). */
  setGatewayFailing(failing: boolean): void;
  readonly breaker: CircuitBreaker;
  snapshot(): PaymentSnapshot;
}

export const FRAUD_CHECK = 'payment.fraud-check';

export function createPayment(
  events: ShopEvents,
  replays: ReplayLog,
  options: PaymentOptions = {},
): PaymentPackage {
  const fraudLimitCents = options.fraudLimitCents ?? 150_000;
  const gatewayLatencyMs = options.gatewayLatencyMs ?? 0;
  const gateway = { failing: false, charges: 0, failures: 0 };
  const paymentsByOrder = new Map<string, Payment>();
  const transitions: { from: string; to: string; reason: string }[] = [];

  const breaker = new CircuitBreaker({
    name: 'payment-gateway',
    failureThreshold: options.failureThreshold ?? 3,
    recoveryTimeoutMs: options.recoveryTimeoutMs ?? 10_000,
    successThreshold: options.successThreshold ?? 2,
    halfOpenMaxCalls: 1,
    callTimeoutMs: options.callTimeoutMs ?? 2_000,
  });
  breaker.stateChanged.addListener(function recordTransition(change) {
    transitions.push({ from: change.from, to: change.to, reason: change.reason });
  }, 'payment.record-transition');

  async function chargeAtGateway(amountCents: number): Promise<string> {
    if (gatewayLatencyMs > 0) await new Promise((resolve) => setTimeout(resolve, gatewayLatencyMs));
    gateway.charges += 1;
    if (gateway.failing) {
      gateway.failures += 1;
      throw new PaymentGatewayError(
        `payment gateway returned 503 Service Unavailable for a charge of ${amountCents} cents`,
      );
    }
    return `pay-${gateway.charges}`;
  }

  events.validateOrder.addListener(function fraudCheck(order) {
    if (order.totalCents > fraudLimitCents) {
      throw new FraudSuspectedError(
        order.customerId,
        order.totalCents,
        fraudLimitCents,
        FRAUD_CHECK,
      );
    }
  }, FRAUD_CHECK);

  events.chargePayment.addListener(async function chargeOrder(command, ctx) {
    const isReplay = replays.checkDelivery(
      'payment.charge',
      'payment.charge-order',
      command.eventId,
      ctx,
    );
    // Charges are keyed by order, so a replayed command never charges twice.
    if (isReplay || paymentsByOrder.has(command.orderId)) return;

    try {
      const paymentId = await breaker.call(() => chargeAtGateway(command.amountCents), ctx);
      paymentsByOrder.set(command.orderId, {
        id: paymentId,
        orderId: command.orderId,
        amountCents: command.amountCents,
        status: 'charged',
      });
      void events.paymentCharged.emit(
        {
          ...events.nextMeta(),
          orderId: command.orderId,
          paymentId,
          amountCents: command.amountCents,
        },
        ctx,
      );
    } catch (error) {
      void events.paymentFailed.emit(
        {
          ...events.nextMeta(),
          orderId: command.orderId,
          amountCents: command.amountCents,
          reason: error instanceof Error ? error.message : String(error),
          breakerState: breaker.state,
        },
        ctx,
      );
      throw error;
    }
  }, 'payment.charge-order');

  events.refundPayment.addListener(function refundOrder(command, ctx) {
    const payment = paymentsByOrder.get(command.orderId);
    if (payment === undefined || payment.status === 'refunded') return;

    paymentsByOrder.set(command.orderId, { ...payment, status: 'refunded' });
    void events.paymentRefunded.emit(
      {
        ...events.nextMeta(),
        orderId: command.orderId,
        paymentId: payment.id,
        amountCents: payment.amountCents,
      },
      ctx,
    );
  }, 'payment.refund-order');

  return {
    breaker,
    setGatewayFailing(failing) {
      gateway.failing = failing;
    },
    snapshot: () => ({
      gateway: { ...gateway },
      breaker: {
        name: breaker.name,
        state: breaker.state,
        counters: { ...breaker.counters },
        transitions: [...transitions],
      },
      payments: [...paymentsByOrder.values()],
    }),
  };
}
