import { expect, openView, saveViewScreenshot, test } from '../fixtures.js';

test.describe('Replay view', () => {
  test('replays an emit into the app', async ({ demo, inspector }, testInfo) => {
    const customerId = await demo.api.registerUser('margaret@example.test', 'Margaret');
    const order = await demo.api.placeOrder({
      customerId,
      items: [{ sku: 'CB-505', quantity: 2 }],
    });
    expect(order.status).toBe('confirmed');
    expect((await demo.api.state()).replays.total).toBe(0);

    const view = await openView(inspector, 'Replay');
    await view.getByRole('checkbox', { name: /^Select emit #\d+ order\.placed$/ }).check();
    await view.getByRole('button', { name: 'Send replay' }).click();
    await expect(view.getByRole('status')).toContainText('Replayed 1 emit;');

    // The shop's listeners recognise the repeated eventId and count a replay instead of
    // fulfilling the order again.
    await expect
      .poll(async () => (await demo.api.state()).replays.bySignal['order.placed'])
      .toBeGreaterThanOrEqual(1);
    expect(
      (await demo.api.get<{ order: { status: string } }>(`/api/orders/${order.id}`)).body.order
        .status,
    ).toBe('confirmed');

    await expect(
      view.getByRole('listitem').filter({ hasText: 'order.placed' }).filter({ hasText: 'replay' }),
    ).not.toHaveCount(0);
    await saveViewScreenshot(inspector, testInfo, 'replay');

    const timeline = await openView(inspector, 'Timeline');
    const replayed = timeline
      .getByRole('table', { name: 'Timeline rows' })
      .getByRole('row', { name: /^order\.placed emit #\d+ ok replay$/ });
    await expect(replayed).toHaveCount(1);

    await replayed.click();
    const details = timeline.getByRole('complementary', { name: 'Emit details' });
    await expect(details.getByRole('button', { name: /^Replay of emit #\d+/ })).toBeVisible();
    await expect(details.getByRole('region', { name: 'Payload' })).toContainText(order.id);
  });
});
