import { BREAKER_RECOVERY_MS, expect, openView, saveViewScreenshot, test } from '../fixtures.js';

const BREAKER = 'payment-gateway';
/** Consecutive gateway failures that open the demo's breaker. */
const FAILURE_THRESHOLD = 3;

test.describe('Breakers view', () => {
  test('opens, half-opens and closes', async ({ demo, inspector }, testInfo) => {
    const customerId = await demo.api.registerUser('linus@example.test', 'Linus');
    const order = { customerId, items: [{ sku: 'MS-202', quantity: 1 }] };
    const view = await openView(inspector, 'Breakers');
    const breaker = view.getByRole('region', { name: BREAKER });
    const heading = breaker.getByRole('heading', { level: 3 });

    await demo.api.post('/api/gateway/fail');
    for (let attempt = 1; attempt <= FAILURE_THRESHOLD; attempt++) {
      const placed = await demo.api.placeOrder(order);
      expect(placed.cancellation?.failedStep).toBe('charge-payment');
    }
    await expect(heading).toHaveAccessibleName(`${BREAKER} State: open`);

    // An open circuit turns half-open only on the first call after the recovery timeout, so
    // orders placed before then fail fast. Poll until one gets through as the trial call.
    await demo.api.post('/api/gateway/recover');
    await expect
      .poll(async () => (await demo.api.placeOrder(order)).status, {
        intervals: [BREAKER_RECOVERY_MS / 2],
        timeout: BREAKER_RECOVERY_MS * 20,
      })
      .toBe('confirmed');
    // The demo's breaker needs two successful trial calls to close.
    await expect(heading).toHaveAccessibleName(`${BREAKER} State: half-open`);

    expect((await demo.api.placeOrder(order)).status).toBe('confirmed');
    await expect(heading).toHaveAccessibleName(`${BREAKER} State: closed`);

    const history = breaker.getByRole('table', { name: `State history of ${BREAKER}` });
    const rows = history.getByRole('row');
    // The header row, then one row per transition, oldest first.
    await expect(rows).toHaveCount(4);
    const transitions = [
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'closed'],
    ] as const;
    for (const [index, [from, to]] of transitions.entries()) {
      const cells = rows.nth(index + 1).getByRole('cell');
      await expect(cells.nth(1)).toHaveText(from);
      await expect(cells.nth(2)).toHaveText(to);
    }
    await expect(rows.nth(2).getByRole('cell').nth(3)).toHaveText('recovery timeout elapsed');

    const calls = breaker.getByRole('table', { name: `Recent calls of ${BREAKER}` });
    await expect(calls.getByRole('row').filter({ hasText: 'PaymentGatewayError' })).toHaveCount(
      FAILURE_THRESHOLD,
    );

    await saveViewScreenshot(inspector, testInfo, 'breakers');
  });
});
