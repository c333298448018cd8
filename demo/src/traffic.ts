/**
 * A traffic generator that drives the shop's HTTP API with a realistic mix: registrations, valid
 * orders, orders the validation chain rejects, undeliverable addresses, and short episodes of
 * payment-gateway and shipping failures. The same seed always yields the same action sequence.
 */

import { findProduct } from './catalog.js';

/** One request the generator sends. */
export type TrafficAction =
  | { readonly kind: 'register'; readonly email: string; readonly name: string }
  | {
      readonly kind: 'order';
      /** What the order is built to exercise. */
      readonly scenario: OrderScenario;
      /** Index into the customers registered so far; -1 means a customer that does not exist. */
      readonly customer: number;
      readonly items: readonly { readonly sku: string; readonly quantity: number }[];
      readonly shippingAddress: string;
      /** Cents to add to the catalogue total to form `expectedTotalCents`; absent sends none. */
      readonly priceSkewCents?: number;
    }
  | { readonly kind: 'gateway'; readonly failing: boolean }
  | { readonly kind: 'shipping'; readonly failing: boolean };

export type OrderScenario =
  | 'valid'
  | 'out-of-stock'
  | 'fraud'
  | 'unknown-customer'
  | 'price-mismatch'
  | 'invalid-item'
  | 'undeliverable';

/** The share of each kind of action, as probabilities that sum to 1. */
const ACTION_WEIGHTS: readonly (readonly [
  OrderScenario | 'register' | 'gateway' | 'shipping',
  number,
])[] = [
  ['register', 0.15],
  ['valid', 0.55],
  ['out-of-stock', 0.06],
  ['fraud', 0.05],
  ['unknown-customer', 0.04],
  ['price-mismatch', 0.04],
  ['invalid-item', 0.03],
  ['undeliverable', 0.04],
  ['gateway', 0.02],
  ['shipping', 0.02],
];

/** SKUs that valid orders pick from; none is discontinued. */
const ORDERABLE_SKUS = ['KB-101', 'MS-202', 'MN-303', 'HD-404', 'CB-505'] as const;
const STREETS = ['Elm Street', 'Harbour Road', 'Mill Lane', 'Station Avenue', 'Park Row'] as const;

/**
 * Returns a pseudo-random generator of floats in [0, 1) from a 32-bit seed (the mulberry32
 * algorithm): fast, small and the same on every platform.
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Returns a function that yields the next action of the sequence for `seed`. The first action
 * always registers a customer. A failure episode switches the gateway or shipping to failing
 * and switches it back a few actions later.
 */
export function createTrafficPlanner(seed: number): () => TrafficAction {
  const random = createSeededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const between = (min: number, max: number): number =>
    min + Math.floor(random() * (max - min + 1));
  let registrations = 0;
  let gatewayRecoveryIn = 0;
  let shippingRecoveryIn = 0;

  const register = (): TrafficAction => {
    registrations += 1;
    return {
      kind: 'register',
      email: `shopper-${seed}-${registrations}@example.test`,
      name: `Shopper ${registrations}`,
    };
  };
  const address = (): string => `${between(1, 200)} ${pick(STREETS)}`;
  const customer = (): number => between(0, registrations - 1);
  const order = (
    scenario: OrderScenario,
    items: readonly { sku: string; quantity: number }[],
    overrides: { customer?: number; shippingAddress?: string; priceSkewCents?: number } = {},
  ): TrafficAction => ({
    kind: 'order',
    scenario,
    customer: overrides.customer ?? customer(),
    items,
    shippingAddress: overrides.shippingAddress ?? address(),
    ...(overrides.priceSkewCents === undefined ? {} : { priceSkewCents: overrides.priceSkewCents }),
  });

  return () => {
    if (registrations === 0) return register();

    if (gatewayRecoveryIn > 0 && --gatewayRecoveryIn === 0)
      return { kind: 'gateway', failing: false };
    if (shippingRecoveryIn > 0 && --shippingRecoveryIn === 0)
      return { kind: 'shipping', failing: false };

    let roll = random();
    let kind = ACTION_WEIGHTS[0]![0];
    for (const [candidate, weight] of ACTION_WEIGHTS) {
      kind = candidate;
      if (roll < weight) break;
      roll -= weight;
    }

    switch (kind) {
      case 'register':
        return register();
      case 'gateway':
        if (gatewayRecoveryIn > 0) return register();
        gatewayRecoveryIn = between(4, 8);
        return { kind: 'gateway', failing: true };
      case 'shipping':
        if (shippingRecoveryIn > 0) return register();
        shippingRecoveryIn = between(2, 4);
        return { kind: 'shipping', failing: true };
      case 'valid': {
        const lines = between(1, 2);
        const skus = new Set(Array.from({ length: lines }, () => pick(ORDERABLE_SKUS)));
        return order(
          'valid',
          [...skus].map((sku) => ({ sku, quantity: between(1, 3) })),
        );
      }
      case 'out-of-stock':
        return order('out-of-stock', [{ sku: 'RC-606', quantity: 1 }]);
      case 'fraud':
        return order('fraud', [{ sku: 'HD-404', quantity: 8 }]);
      case 'unknown-customer':
        return order('unknown-customer', [{ sku: pick(ORDERABLE_SKUS), quantity: 1 }], {
          customer: -1,
        });
      case 'price-mismatch':
        return order('price-mismatch', [{ sku: pick(ORDERABLE_SKUS), quantity: 1 }], {
          priceSkewCents: -100,
        });
      case 'invalid-item':
        return order('invalid-item', [{ sku: 'XX-000', quantity: 1 }]);
      case 'undeliverable':
        return order('undeliverable', [{ sku: 'CB-505', quantity: 1 }], {
          shippingAddress: '1 Nowhere Lane',
        });
    }
  };
}

/** Returns the first `count` actions for `seed`. */
export function createTrafficPlan(seed: number, count: number): TrafficAction[] {
  const next = createTrafficPlanner(seed);
  return Array.from({ length: count }, () => next());
}

/** What one action's request returned. */
export interface TrafficResult {
  readonly action: TrafficAction;
  /** HTTP status, or 0 when the request failed before a response. */
  readonly status: number;
  /** The order's status for order actions that got one, such as `confirmed` or `rejected`. */
  readonly orderStatus: string | undefined;
  /** The rejection code for rejected orders, such as `out_of_stock`. */
  readonly rejection: string | undefined;
}

export interface TrafficOptions {
  /** Base URL of the shop's API, such as `http://127.0.0.1:3000`. */
  readonly apiUrl: string;
  /** Actions per second; each waits for the previous request to finish. */
  readonly ratePerSecond: number;
  /** @default a random seed */
  readonly seed?: number;
  /** Receives every result; failed requests have status 0. */
  readonly onResult?: (result: TrafficResult) => void;
}

export interface TrafficGenerator {
  readonly seed: number;
  /** Requests sent so far, grouped by HTTP status. */
  stats(): { readonly sent: number; readonly byStatus: Readonly<Record<string, number>> };
  /** Stops scheduling and resolves once the request in flight, if any, has finished. */
  stop(): Promise<void>;
}

/**
 * Runs the actions of a seed against an API: one client that remembers the customer ids its
 * registrations returned.
 */
export class TrafficClient {
  readonly #apiUrl: string;
  readonly #customerIds: string[] = [];

  constructor(apiUrl: string) {
    this.#apiUrl = apiUrl;
  }

  /** Sends one action's request and returns its result; network failures become status 0. */
  async perform(action: TrafficAction): Promise<TrafficResult> {
    const [path, body] = this.#request(action);
    let response: Response;
    try {
      response = await fetch(`${this.#apiUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch {
      return { action, status: 0, orderStatus: undefined, rejection: undefined };
    }

    const json = (await response.json().catch(() => undefined)) as
      | { user?: { id: string }; order?: { status: string; rejection?: { code: string } } }
      | undefined;
    if (action.kind === 'register' && json?.user !== undefined)
      this.#customerIds.push(json.user.id);
    return {
      action,
      status: response.status,
      orderStatus: json?.order?.status,
      rejection: json?.order?.rejection?.code,
    };
  }

  #request(action: TrafficAction): [string, unknown] {
    switch (action.kind) {
      case 'register':
        return ['/api/users', { email: action.email, name: action.name }];
      case 'gateway':
        return [action.failing ? '/api/gateway/fail' : '/api/gateway/recover', {}];
      case 'shipping':
        return [action.failing ? '/api/shipping/fail' : '/api/shipping/recover', {}];
      case 'order': {
        // An id no registration returns, because user ids start at u-1.
        const customerId =
          action.customer < 0 || this.#customerIds.length === 0
            ? 'u-0'
            : this.#customerIds[action.customer % this.#customerIds.length];
        const body: Record<string, unknown> = {
          customerId,
          items: action.items,
          shippingAddress: action.shippingAddress,
        };
        if (action.priceSkewCents !== undefined) {
          body.expectedTotalCents = Math.max(
            0,
            catalogueTotal(action.items) + action.priceSkewCents,
          );
        }
        return ['/api/orders', body];
      }
    }
  }
}

/**
 * Runs the first `count` actions of `seed` one after another and returns their results. The
 * deterministic mode for tests: a fresh shop given the same seed ends in the same state.
 */
export async function runTraffic(
  apiUrl: string,
  seed: number,
  count: number,
): Promise<TrafficResult[]> {
  const client = new TrafficClient(apiUrl);
  const results: TrafficResult[] = [];
  for (const action of createTrafficPlan(seed, count)) results.push(await client.perform(action));
  return results;
}

/** Starts sending actions at `ratePerSecond` until `stop()`. */
export function startTraffic(options: TrafficOptions): TrafficGenerator {
  if (
    !(
      typeof options.ratePerSecond === 'number' &&
      options.ratePerSecond > 0 &&
      Number.isFinite(options.ratePerSecond)
    )
  ) {
    throw new RangeError(
      `startTraffic: "ratePerSecond" must be a finite number above 0, received ${String(options.ratePerSecond)}; pass such as 2`,
    );
  }

  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  const next = createTrafficPlanner(seed);
  const client = new TrafficClient(options.apiUrl);
  const intervalMs = 1000 / options.ratePerSecond;
  const byStatus = new Map<number, number>();
  let sent = 0;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const tick = (): void => {
    if (stopped) return;
    inFlight = client.perform(next()).then((result) => {
      sent += 1;
      byStatus.set(result.status, (byStatus.get(result.status) ?? 0) + 1);
      options.onResult?.(result);
      if (!stopped) {
        timer = setTimeout(tick, intervalMs);
        timer.unref();
      }
    });
  };
  tick();

  return {
    seed,
    stats: () => ({ sent, byStatus: Object.fromEntries(byStatus) }),
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await inFlight;
    },
  };
}

function catalogueTotal(items: readonly { sku: string; quantity: number }[]): number {
  return items.reduce(
    (sum, item) => sum + (findProduct(item.sku)?.priceCents ?? 0) * item.quantity,
    0,
  );
}
