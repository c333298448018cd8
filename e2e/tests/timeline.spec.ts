import { expect, openView, saveViewScreenshot, test } from '../fixtures.js';

test.describe('Timeline view', () => {
  test('lists emits and opens details', async ({ demo, inspector }, testInfo) => {
    const customerId = await demo.api.registerUser('alan@example.test', 'Alan');
    const order = await demo.api.placeOrder({
      customerId,
      items: [{ sku: 'MN-303', quantity: 1 }],
    });
    expect(order.status).toBe('confirmed');

    const view = await openView(inspector, 'Timeline');
    const rows = view.getByRole('table', { name: 'Timeline rows' });
    const placed = rows.getByRole('row', { name: /^order\.placed emit #\d+ ok$/ });
    await expect(placed).toHaveCount(1);
    await expect(
      rows.getByRole('row', {
        name: /^saga order-fulfilment run #\S+: step charge-payment completed \(attempt 1\)$/,
      }),
    ).toHaveCount(1);

    await placed.click();
    const details = view.getByRole('complementary', { name: 'Emit details' });
    await expect(details).toContainText('order.placed');
    await expect(details.getByRole('region', { name: 'Payload' })).toContainText(order.id);

    await saveViewScreenshot(inspector, testInfo, 'timeline');

    // The registration scrolled out of the virtualized list, so a signal filter brings it back.
    await view
      .getByRole('form', { name: 'Timeline filters' })
      .getByRole('combobox', { name: 'Signal' })
      .selectOption('user.registered');
    await expect(rows.getByRole('row', { name: /^user\.registered emit #\d+ ok$/ })).toHaveCount(1);
    await expect(rows.getByRole('row', { name: /^order\.placed emit/ })).toHaveCount(0);
    await expect(
      view.getByRole('list', { name: 'Active filters' }).getByRole('button', {
        name: /^Remove filter .*user\.registered$/,
      }),
    ).toBeVisible();
  });
});
