import { expect, openView, saveViewScreenshot, test } from '../fixtures.js';

/** The validation chain's listeners by key, in the order `order.validate` runs them. */
const VALIDATION_CHAIN = [
  'auth.validate-customer',
  'orders.validate-items',
  'orders.check-price',
  'inventory.check-stock',
  'payment.fraud-check',
] as const;

/** Returns the status a chain listener at `index` gets when the one at `failingIndex` throws. */
function expectedStatus(index: number, failingIndex: number): 'ok' | 'failed' | 'skipped' {
  if (index < failingIndex) return 'ok';
  if (index === failingIndex) return 'failed';
  return 'skipped';
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test.describe('Sync chains view', () => {
  test.describe('rejected order', () => {
    const cases = [
      {
        // RC-606 is discontinued and always out of stock.
        name: 'out of stock',
        items: [{ sku: 'RC-606', quantity: 1 }],
        failing: 'inventory.check-stock',
        error: 'OutOfStockError',
        detail: 'RC-606',
      },
      {
        // Totals above 150000 cents fail the fraud check, the last listener, so none is skipped.
        name: 'fraud suspected',
        items: [{ sku: 'MN-303', quantity: 6 }],
        failing: 'payment.fraud-check',
        error: 'FraudSuspectedError',
        detail: '167400',
      },
    ] as const;

    for (const rejection of cases) {
      test(`shows ${rejection.name} failure`, async ({ demo, inspector }, testInfo) => {
        const customerId = await demo.api.registerUser('grace@example.test', 'Grace');
        const order = await demo.api.placeOrder({ customerId, items: rejection.items });
        expect(order.status).toBe('rejected');
        expect(order.rejection?.listener).toBe(rejection.failing);

        const view = await openView(inspector, 'Sync chains');
        const chain = view
          .getByRole('list', { name: 'Chains, newest first' })
          .getByRole('article', { name: /^Chain order\.validate #\d+$/ });
        await expect(chain).toHaveCount(1);

        // Only the chain's own items carry a status in their name, not the error's cause list.
        const listeners = chain.getByRole('listitem', { name: /: (ok|failed|skipped)$/ });
        await expect(listeners).toHaveCount(VALIDATION_CHAIN.length);

        const failingIndex = VALIDATION_CHAIN.indexOf(rejection.failing);
        for (const [index, key] of VALIDATION_CHAIN.entries()) {
          const status = expectedStatus(index, failingIndex);
          const item = chain.getByRole('listitem', {
            name: new RegExp(`\\[${escapeRegExp(key)}\\]: ${status}$`),
          });
          await expect(item, `${key} should be ${status}`).toBeVisible();
          if (status === 'skipped') {
            const reason = `skipped because .*\\[${escapeRegExp(rejection.failing)}\\] at position ${failingIndex + 1} failed`;
            await expect(item).toContainText(new RegExp(reason));
          }
        }

        const failing = chain.getByRole('listitem', {
          name: new RegExp(`\\[${escapeRegExp(rejection.failing)}\\]: failed$`),
        });
        const error = failing.getByRole('region', { name: /^Error of / });
        await expect(error).toContainText(rejection.error);
        await expect(error).toContainText(rejection.detail);

        await saveViewScreenshot(
          inspector,
          testInfo,
          `sync-chains-${rejection.name.replaceAll(' ', '-')}`,
        );
      });
    }
  });
});
