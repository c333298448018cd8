import { describe, expect, test } from 'vitest';
import { createTrafficPlan, runTraffic } from '../src/traffic.js';
import { request, startTestDemo } from './helpers.js';

describe('createTrafficPlan', () => {
  test('same seed gives same sequence', () => {
    expect(createTrafficPlan(42, 200)).toEqual(createTrafficPlan(42, 200));
  });

  test('different seeds differ', () => {
    expect(createTrafficPlan(1, 50)).not.toEqual(createTrafficPlan(2, 50));
  });

  test('mix covers every scenario', () => {
    const plan = createTrafficPlan(7, 1000);
    const kinds = new Set(
      plan.map((action) => (action.kind === 'order' ? action.scenario : action.kind)),
    );
    expect([...kinds].sort()).toEqual(
      [
        'fraud',
        'gateway',
        'invalid-item',
        'out-of-stock',
        'price-mismatch',
        'register',
        'shipping',
        'undeliverable',
        'unknown-customer',
        'valid',
      ].sort(),
    );
    expect(plan[0]?.kind).toBe('register');
  });
});

describe('runTraffic', () => {
  test('seeded run ends in the same state twice', async () => {
    const summaries = [];
    for (let run = 0; run < 2; run++) {
      const demo = await startTestDemo();
      const results = await runTraffic(demo.apiUrl, 3, 60);
      const state = await request(demo, 'GET', '/api/state');
      summaries.push({
        statuses: results.map(
          (result) => `${result.status}:${result.orderStatus ?? ''}:${result.rejection ?? ''}`,
        ),
        orders: state.body.orders.byStatus,
        stock: state.body.stock,
      });
    }
    expect(summaries[1]).toEqual(summaries[0]);
    expect(summaries[0]?.statuses.every((status) => !status.startsWith('0:'))).toBe(true);
  });
});
