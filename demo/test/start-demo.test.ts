import { createServer } from 'node:net';
import { describe, expect, test } from 'vitest';
import { startDemo } from '../src/index.js';

/** Resolves true when a server can bind `port` on loopback, so nothing holds it. */
function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('startDemo', () => {
  test('stop frees the API port', async () => {
    const demo = await startDemo({ port: 0, inspector: false });
    const port = Number(new URL(demo.apiUrl).port);
    expect(await isPortFree(port)).toBe(false);

    await demo.stop();

    expect(await isPortFree(port)).toBe(true);
  });

  test('stop twice is safe', async () => {
    const demo = await startDemo({ port: 0, inspector: false });
    await demo.stop();
    await expect(demo.stop()).resolves.toBeUndefined();
  });

  test('rejects a port already in use', async () => {
    const first = await startDemo({ port: 0, inspector: false });
    const port = Number(new URL(first.apiUrl).port);
    await expect(startDemo({ port, inspector: false })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
    await first.stop();
  });

  test('traffic option drives the API', async () => {
    let reportThirdResult = () => {};
    const thirdResult = new Promise<void>((resolve) => {
      reportThirdResult = resolve;
    });
    let results = 0;
    const demo = await startDemo({
      port: 0,
      inspector: false,
      traffic: {
        ratePerSecond: 200,
        seed: 5,
        onResult: () => {
          results += 1;
          if (results === 3) reportThirdResult();
        },
      },
    });

    await thirdResult;
    await demo.stop();

    expect(demo.traffic?.stats().sent).toBeGreaterThanOrEqual(3);
    expect(demo.shop.auth.listUsers().length).toBeGreaterThan(0);
  });
});

describe('startDemo with inspector', () => {
  test('restart keeps port and token, stop frees it', async () => {
    const demo = await startDemo({ port: 0, inspector: { port: 0 } });
    const before = new URL(demo.inspectorUrl!);
    const token = demo.token;

    const response = await fetch(`${demo.apiUrl}/api/inspector/restart`, { method: 'POST' });
    const body = (await response.json()) as { inspectorUrl: string };

    expect(response.status).toBe(200);
    expect(new URL(body.inspectorUrl).port).toBe(before.port);
    expect(demo.token).toBe(token);
    await demo.stop();
    expect(await isPortFree(Number(before.port))).toBe(true);
  });
});
