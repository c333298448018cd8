import { connectionStatus, expect, openView, test } from '../fixtures.js';

test.describe('Connection', () => {
  test.describe('wrong token', () => {
    test('is rejected without retries', async ({ demo, page }) => {
      const sockets: string[] = [];
      page.on('websocket', (socket) => sockets.push(socket.url()));
      await page.clock.install();

      const url = new URL(demo.inspectorUrl);
      url.hash = `token=${demo.token}-wrong`;
      await page.goto(url.toString());

      await expect(connectionStatus(page)).toContainText('token rejected');
      const graph = await openView(page, 'Graph');
      await expect(graph).toContainText('No signals yet');

      // A rejected token stops the retries, so a minute of the page's time opens no new socket.
      const attempts = sockets.length;
      expect(attempts).toBeGreaterThanOrEqual(1);
      await page.clock.runFor(60_000);
      await expect(connectionStatus(page)).toContainText('token rejected');
      expect(sockets).toHaveLength(attempts);
    });
  });

  test.describe('agent restart', () => {
    test('keeps history and backfills', async ({ demo, inspector }) => {
      const customerId = await demo.api.registerUser('edsger@example.test', 'Edsger');
      const before = await demo.api.placeOrder({
        customerId,
        items: [{ sku: 'KB-101', quantity: 1 }],
      });
      const timeline = await openView(inspector, 'Timeline');
      const rows = timeline.getByRole('table', { name: 'Timeline rows' });
      const placedRows = rows.getByRole('row', { name: /^order\.placed emit #\d+ ok$/ });
      await expect(placedRows).toHaveCount(1);

      // Freeze the page's timers, so the UI cannot reconnect before the second order is in.
      await inspector.clock.install();
      await inspector.clock.pauseAt(await inspector.evaluate(() => Date.now() + 1000));

      const restart = await demo.api.post('/api/inspector/restart');
      expect(restart.status).toBe(200);
      await expect(connectionStatus(inspector)).toContainText('reconnecting');

      const during = await demo.api.placeOrder({
        customerId,
        items: [{ sku: 'MS-202', quantity: 1 }],
      });
      expect(during.id).not.toBe(before.id);
      await expect(connectionStatus(inspector)).toContainText('reconnecting');

      await inspector.clock.resume();
      await expect(connectionStatus(inspector)).toContainText('connected');

      // The agent restarted inside the same process, so the UI keeps what it had, marks the
      // sequence numbers it cannot have, and gets the order placed while it was away as
      // backfill. The table renders only the rows in view, so each order is found by search.
      await expect(timeline.getByRole('note', { name: 'Missing events' })).toContainText(
        'restarted',
      );
      const search = timeline
        .getByRole('form', { name: 'Timeline filters' })
        .getByRole('searchbox', { name: 'Search payload' });
      await search.fill(before.id);
      await expect(placedRows).toHaveCount(1);
      await search.fill(during.id);
      await expect(placedRows).toHaveCount(1);
    });
  });
});
