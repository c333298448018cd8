import { expect, openView, saveViewScreenshot, test } from '../fixtures.js';

test.describe('Graph view', () => {
  test('shows signals, listeners and causal edges', async ({ demo, inspector }, testInfo) => {
    const customerId = await demo.api.registerUser('ada@example.test', 'Ada');
    const order = await demo.api.placeOrder({
      customerId,
      items: [{ sku: 'KB-101', quantity: 1 }],
    });
    expect(order.status).toBe('confirmed');

    const graph = await openView(inspector, 'Graph');

    await expect(graph.getByRole('group', { name: 'Signal order.placed' })).toBeVisible();
    await expect(graph.getByRole('group', { name: 'Signal payment.charged' })).toBeVisible();
    await expect(
      graph.getByRole('group', { name: 'Listener payment.charge-order on payment.charge' }),
    ).toBeVisible();
    await expect(
      graph.getByRole('group', { name: 'Listener inventory.check-stock on order.validate' }),
    ).toBeVisible();
    await expect(
      graph.getByRole('group', { name: 'Listener payment.charge-order emits payment.charged' }),
    ).toHaveCount(1);
    await expect(
      graph.getByRole('group', { name: 'Listener payment.charge-order emits payment.failed' }),
    ).toHaveCount(0);

    await saveViewScreenshot(inspector, testInfo, 'graph');
  });

  test('selecting a node filters the timeline', async ({ demo, inspector }) => {
    const customerId = await demo.api.registerUser('ada@example.test', 'Ada');
    await demo.api.placeOrder({ customerId, items: [{ sku: 'KB-101', quantity: 1 }] });

    const graph = await openView(inspector, 'Graph');
    await graph.getByRole('group', { name: 'Signal user.registered' }).click();
    await expect(graph.getByRole('button', { name: 'Clear selection' })).toBeVisible();

    const timeline = await openView(inspector, 'Timeline');
    const rows = timeline.getByRole('table', { name: 'Timeline rows' }).getByRole('row');
    await expect(rows).toHaveCount(1);
    await expect(rows).toHaveAccessibleName(/^user\.registered emit #\d+ ok$/);
  });
});
