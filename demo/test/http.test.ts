import { describe, expect, test } from 'vitest';
import { registerUser, request, startTestDemo } from './helpers.js';

const ORDER = { items: [{ sku: 'KB-101', quantity: 1 }], shippingAddress: '1 Elm Street' };

describe('HTTP API', () => {
  test('GET /healthz reports ok', async () => {
    const demo = await startTestDemo();
    const response = await request(demo, 'GET', '/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  test('POST /api/users registers a user', async () => {
    const demo = await startTestDemo();
    const response = await request(demo, 'POST', '/api/users', {
      email: 'Ada@Example.test',
      name: 'Ada',
    });
    expect(response.status).toBe(201);
    expect(response.body.user).toMatchObject({ id: 'u-1', email: 'ada@example.test', name: 'Ada' });
  });

  test('POST /api/users rejects a duplicate email with 409', async () => {
    const demo = await startTestDemo();
    await registerUser(demo);
    const response = await request(demo, 'POST', '/api/users', {
      email: 'ada@example.test',
      name: 'Ada',
    });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('email_taken');
  });

  test('POST /api/orders confirms a valid order', async () => {
    const demo = await startTestDemo();
    const customerId = await registerUser(demo);
    const response = await request(demo, 'POST', '/api/orders', { customerId, ...ORDER });
    expect(response.status).toBe(201);
    expect(response.body.order).toMatchObject({ id: 'o-1', status: 'confirmed', totalCents: 8900 });
  });

  test('GET /api/orders/:id returns the order', async () => {
    const demo = await startTestDemo();
    const customerId = await registerUser(demo);
    await request(demo, 'POST', '/api/orders', { customerId, ...ORDER });
    const response = await request(demo, 'GET', '/api/orders/o-1');
    expect(response.status).toBe(200);
    expect(response.body.order.status).toBe('confirmed');
  });

  test('GET /api/orders/:id returns 404 for an unknown id', async () => {
    const demo = await startTestDemo();
    const response = await request(demo, 'GET', '/api/orders/o-404');
    expect(response.status).toBe(404);
    expect(response.body.error.message).toContain('o-404');
  });

  test('GET /api/state reports every package', async () => {
    const demo = await startTestDemo();
    const customerId = await registerUser(demo);
    await request(demo, 'POST', '/api/orders', { customerId, ...ORDER });
    const { status, body } = await request(demo, 'GET', '/api/state');
    expect(status).toBe(200);
    expect(body.users).toHaveLength(1);
    expect(body.orders.byStatus.confirmed).toBe(1);
    expect(body.stock['KB-101']).toBe(39);
    expect(body.breaker.state).toBe('closed');
    expect(body.breaker.counters.successes).toBe(1);
    expect(body.audit.tail.length).toBeGreaterThan(0);
    expect(body.analytics.eventsByType['order.placed']).toBe(1);
    expect(body.eventStore.version).toBe(2);
    expect(body.replays.total).toBe(0);
  });

  test('GET /api/events reads the event store from a version', async () => {
    const demo = await startTestDemo();
    const customerId = await registerUser(demo);
    await request(demo, 'POST', '/api/orders', { customerId, ...ORDER });
    const all = await request(demo, 'GET', '/api/events');
    expect(all.body.events.map((event: { type: string }) => event.type)).toEqual([
      'OrderPlaced',
      'OrderConfirmed',
    ]);
    const later = await request(demo, 'GET', '/api/events?from=2');
    expect(later.body.events.map((event: { version: number }) => event.version)).toEqual([2]);
  });

  test('POST /api/gateway/fail and /recover switch the gateway', async () => {
    const demo = await startTestDemo();
    const failed = await request(demo, 'POST', '/api/gateway/fail');
    expect(failed.body.gateway.failing).toBe(true);
    const recovered = await request(demo, 'POST', '/api/gateway/recover');
    expect(recovered.body.gateway.failing).toBe(false);
  });

  test('POST /api/shipping/fail and /recover switch shipping', async () => {
    const demo = await startTestDemo();
    const failed = await request(demo, 'POST', '/api/shipping/fail');
    expect(failed.body.shipping.failing).toBe(true);
    const recovered = await request(demo, 'POST', '/api/shipping/recover');
    expect(recovered.body.shipping.failing).toBe(false);
  });

  test('POST /api/inspector/restart returns 409 without an inspector', async () => {
    const demo = await startTestDemo();
    const response = await request(demo, 'POST', '/api/inspector/restart');
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('inspector_disabled');
  });
});

describe('HTTP API bad requests', () => {
  test('unknown path returns 404', async () => {
    const demo = await startTestDemo();
    const response = await request(demo, 'GET', '/api/nothing');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });

  test('wrong method returns 405 with Allow', async () => {
    const demo = await startTestDemo();
    const response = await request(demo, 'GET', '/api/orders');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  test('invalid JSON returns 400', async () => {
    const demo = await startTestDemo();
    const response = await request(demo, 'POST', '/api/users', '{"email":');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_json');
  });

  test('empty body returns 400', async () => {
    const demo = await startTestDemo();
    const response = await request(demo, 'POST', '/api/users', '');
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('empty');
  });

  test('JSON array body returns 400', async () => {
    const demo = await startTestDemo();
    const response = await request(demo, 'POST', '/api/users', []);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('JSON object');
  });

  test('non-JSON content type returns 415', async () => {
    const demo = await startTestDemo();
    const response = await request(demo, 'POST', '/api/users', 'email=a', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(response.status).toBe(415);
  });

  test('huge body returns 413', async () => {
    const demo = await startTestDemo({ maxBodyBytes: 1024 });
    const response = await request(demo, 'POST', '/api/users', {
      email: 'a@b.test',
      name: 'x'.repeat(4096),
    });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('body_too_large');
  });

  test.each([
    ['/api/users', { name: 'Ada' }, 'email'],
    ['/api/users', { email: 'not-an-email', name: 'Ada' }, 'email'],
    ['/api/users', { email: 'a@b.test' }, 'name'],
    ['/api/orders', { ...ORDER }, 'customerId'],
    ['/api/orders', { customerId: 'u-1', items: [] }, 'shippingAddress'],
    ['/api/orders', { customerId: 'u-1', shippingAddress: 'x', items: [] }, 'items'],
    ['/api/orders', { customerId: 'u-1', shippingAddress: 'x', items: ['KB-101'] }, 'items[0]'],
    [
      '/api/orders',
      { customerId: 'u-1', shippingAddress: 'x', items: [{ quantity: 1 }] },
      'items[0].sku',
    ],
    [
      '/api/orders',
      { customerId: 'u-1', shippingAddress: 'x', items: [{ sku: 'KB-101', quantity: 0 }] },
      'items[0].quantity',
    ],
    [
      '/api/orders',
      { customerId: 'u-1', ...ORDER, expectedTotalCents: '10' },
      'expectedTotalCents',
    ],
  ])('POST %s with %j names field %s', async (path, body, field) => {
    const demo = await startTestDemo();
    const response = await request(demo, 'POST', path, body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_field');
    expect(response.body.error.message).toContain(`field "${field}"`);
  });

  test('GET /api/events rejects a negative from', async () => {
    const demo = await startTestDemo();
    const response = await request(demo, 'GET', '/api/events?from=-1');
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('"from"');
  });
});
