import { readFile } from 'node:fs/promises';
import { connectionStatus, expect, openView, saveViewScreenshot, test } from '../fixtures.js';

test.describe('Export and import', () => {
  test('imported file shows the same emits', async ({
    demo,
    inspector,
    staticUi,
    browser,
  }, testInfo) => {
    const customerId = await demo.api.registerUser('ken@example.test', 'Ken');
    const order = await demo.api.placeOrder({
      customerId,
      items: [{ sku: 'KB-101', quantity: 1 }],
    });
    expect(order.status).toBe('confirmed');

    const live = await openView(inspector, 'Replay');
    const livePicker = live.getByRole('region', { name: 'Recorded emits' }).getByRole('listitem');
    await expect(
      live.getByRole('checkbox', { name: /^Select emit #\d+ order\.placed$/ }),
    ).toHaveCount(1);
    const liveEmits = await livePicker.allInnerTexts();

    const downloadEvent = inspector.waitForEvent('download');
    await live.getByRole('button', { name: 'Export recording' }).click();
    const download = await downloadEvent;
    expect(download.suggestedFilename()).toMatch(/\.ndjson$/);
    const file = testInfo.outputPath(download.suggestedFilename());
    await download.saveAs(file);
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();

    // A separate context, so nothing from the live page carries over.
    const context = await browser.newContext();
    try {
      const offline = await context.newPage();
      await offline.goto(staticUi.url);
      await expect(connectionStatus(offline)).toContainText('offline');

      const view = await openView(offline, 'Replay');
      await view.getByLabel('Import recording').setInputFiles(file);
      await expect(connectionStatus(offline)).toContainText('offline: imported file');

      await expect(
        view.getByRole('region', { name: 'Recorded emits' }).getByRole('listitem'),
      ).toHaveText(liveEmits);
      await expect(view.getByRole('note')).toContainText('imported file');

      const timeline = await openView(offline, 'Timeline');
      await expect(
        timeline
          .getByRole('table', { name: 'Timeline rows' })
          .getByRole('row', { name: /^order\.placed emit #\d+ ok$/ }),
      ).toHaveCount(1);
      await saveViewScreenshot(offline, testInfo, 'imported-timeline');
    } finally {
      await context.close();
    }
  });
});
