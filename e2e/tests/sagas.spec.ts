import { expect, openView, saveViewScreenshot, test } from '../fixtures.js';

test.describe('Sagas view', () => {
  test('shows rollbacks in reverse order', async ({ demo, inspector }, testInfo) => {
    const customerId = await demo.api.registerUser('barbara@example.test', 'Barbara');
    // Shipments to an address that contains "nowhere" always fail.
    const order = await demo.api.placeOrder({
      customerId,
      items: [{ sku: 'HD-404', quantity: 1 }],
      shippingAddress: '7 Nowhere Road',
    });
    expect(order.status).toBe('cancelled');
    expect(order.cancellation?.failedStep).toBe('create-shipment');

    const view = await openView(inspector, 'Sagas');
    const run = view
      .getByRole('list', { name: 'Saga runs' })
      .getByRole('listitem', { name: /^order-fulfilment run #\S+$/ });
    await expect(run).toHaveCount(1);
    await expect(run.getByRole('heading', { level: 3 })).toHaveAccessibleName(
      /Final status: rolled_back$/,
    );

    const steps = run.getByRole('table', { name: /^Steps of order-fulfilment run #/ });
    await expect(steps.getByRole('row', { name: /create-shipment/ })).toContainText('failed');

    const rollbacks = run.getByRole('list', { name: /^Rollbacks of order-fulfilment run #/ });
    await expect(rollbacks.getByRole('listitem')).toHaveText([
      /^undo step 2 charge-payment/,
      /^undo step 1 reserve-inventory/,
    ]);

    await saveViewScreenshot(inspector, testInfo, 'sagas');
  });
});
