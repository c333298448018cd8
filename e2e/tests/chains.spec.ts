import { expect, openView, saveViewScreenshot, test } from '../fixtures.js';

test.describe('Sync chains view', () => {
  test.describe('rejected order', () => {
    test('shows failing and skipped listeners', async ({ demo, inspector }, testInfo) => {
      const customerId = await demo.api.registerUser('grace@example.test', 'Grace');
      // RC-606 is discontinued and always out of stock, so inventory.check-stock rejects it.
      const order = await demo.api.placeOrder({
        customerId,
        items: [{ sku: 'RC-606', quantity: 1 }],
      });
      expect(order.status).toBe('rejected');
      expect(order.rejection?.listener).toBe('inventory.check-stock');

      const view = await openView(inspector, 'Sync chains');
      const chain = view
        .getByRole('list', { name: 'Chains, newest first' })
        .getByRole('article', { name: /^Chain order\.validate #\d+$/ });
      await expect(chain).toHaveCount(1);

      // Only the chain's own items carry a status in their name, not the error's cause list.
      const listeners = chain.getByRole('listitem', { name: /: (ok|failed|skipped)$/ });
      await expect(listeners).toHaveCount(5);
      await expect(
        chain.getByRole('listitem', { name: /\[auth\.validate-customer\]: ok$/ }),
      ).toBeVisible();
      await expect(
        chain.getByRole('listitem', { name: /\[orders\.validate-items\]: ok$/ }),
      ).toBeVisible();
      await expect(
        chain.getByRole('listitem', { name: /\[orders\.check-price\]: ok$/ }),
      ).toBeVisible();

      const failing = chain.getByRole('listitem', { name: /\[inventory\.check-stock\]: failed$/ });
      await expect(failing).toBeVisible();
      await expect(failing.getByRole('region', { name: /^Error of / })).toContainText(
        'OutOfStockError',
      );
      await expect(failing).toContainText('RC-606');

      const skipped = chain.getByRole('listitem', { name: /\[payment\.fraud-check\]: skipped$/ });
      await expect(skipped).toBeVisible();
      await expect(skipped).toContainText(
        /skipped because .*\[inventory\.check-stock\] at position 4 failed/,
      );

      await saveViewScreenshot(inspector, testInfo, 'sync-chains');
    });
  });
});
