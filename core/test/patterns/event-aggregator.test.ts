import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Context, createSignal, createSyncSignal, EventAggregator } from '../../src/index.js';
import { collect, settle } from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-01-02T03:04:05Z'));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('new EventAggregator()', () => {
  it('names and owns its stream', () => {
    const aggregator = new EventAggregator({ name: 'activity' });

    expect(aggregator.events.name).toBe('activity.events');
    expect(aggregator.events.owner).toEqual({ kind: 'aggregator', name: 'activity' });
  });

  it('rejects an empty name', () => {
    expect(() => new EventAggregator({ name: '' })).toThrow(
      /new EventAggregator: "name" must be a non-empty string/,
    );
  });
});

describe('EventAggregator.attach()', () => {
  it('merges several signals into one enriched stream', async () => {
    const users = createSignal<{ id: string }>({ name: 'users' });
    const orders = createSyncSignal<{ total: number }>({ name: 'orders' });
    const aggregator = new EventAggregator();
    aggregator.attach(users, { type: 'user', source: 'auth' });
    aggregator.attach(orders, { type: 'order' });
    const stream = collect(aggregator.events);

    await users.emit({ id: 'u1' }, { traceId: 'req-1' });
    await orders.emit({ total: 5 });
    await settle();

    expect(stream).toEqual([
      {
        type: 'user',
        source: 'auth',
        data: { id: 'u1' },
        timestamp: Date.parse('2026-01-02T03:04:05Z'),
        traceId: 'req-1',
      },
      {
        type: 'order',
        source: 'orders',
        data: { total: 5 },
        timestamp: Date.now(),
        traceId: undefined,
      },
    ]);
  });

  it('ignores a non-scalar trace id', async () => {
    const users = createSignal<string>();
    const aggregator = new EventAggregator();
    aggregator.attach(users, { type: 'user' });
    const stream = collect(aggregator.events);

    await users.emit('u1', { traceId: { nested: true } });
    await settle();

    expect(stream[0]?.traceId).toBeUndefined();
  });

  it('forwards the source emit context', async () => {
    const users = createSignal<string>();
    const aggregator = new EventAggregator();
    aggregator.attach(users, { type: 'user' });
    const contexts: Context[] = [];
    aggregator.events.addListener((_event, ctx) => {
      contexts.push(ctx);
    });
    const ctx = { traceId: 7, tenant: 'acme' };

    await users.emit('u1', ctx);
    await settle();

    expect(contexts).toEqual([ctx]);
  });

  it('detach removes only its listener', async () => {
    const users = createSignal<string>();
    users.addListener(() => {}, 'app');
    const aggregator = new EventAggregator();
    const detach = aggregator.attach(users, { type: 'user' });
    const stream = collect(aggregator.events);
    expect(users.len()).toBe(2);

    detach();
    detach();
    await users.emit('u1');
    await settle();

    expect(users.len()).toBe(1);
    expect(aggregator.attached).toBe(0);
    expect(stream).toEqual([]);
  });

  it('attaches one signal under two types', async () => {
    const audit = createSignal<string>();
    const aggregator = new EventAggregator();
    aggregator.attach(audit, { type: 'audit' });
    aggregator.attach(audit, { type: 'security' });
    const stream = collect(aggregator.events);

    await audit.emit('login');
    await settle();

    expect(stream.map((event) => event.type)).toEqual(['audit', 'security']);
  });

  it('throws on a rejected listener key', () => {
    const aggregator = new EventAggregator({ name: 'activity' });
    const signal = { name: 'taken', addListener: () => -1, removeListener: () => -1 };

    expect(() => aggregator.attach(signal as never, { type: 'user' })).toThrow(
      /already has a listener with key "activity#\d+"/,
    );
    expect(aggregator.attached).toBe(0);
  });

  it.each([
    [null, { type: 'user' }, /"signal" must be a signal/],
    [{}, { type: 'user' }, /"signal" must be a signal/],
    ['signal', { type: '' }, /"options.type" must be a non-empty string/],
    ['signal', undefined, /"options" must be an object/],
    ['signal', { type: 'user', source: '' }, /"options.source" must be a non-empty string/],
  ])('rejects bad arguments (%#)', (signal, options, message) => {
    const aggregator = new EventAggregator();
    const target = signal === 'signal' ? createSignal<string>() : signal;

    expect(() => aggregator.attach(target as never, options as never)).toThrow(TypeError);
    expect(() => aggregator.attach(target as never, options as never)).toThrow(message);
  });
});

describe('EventAggregator.setFilter()', () => {
  it('drops events the filter rejects', async () => {
    const orders = createSignal<{ total: number }>();
    const users = createSignal<string>();
    const aggregator = new EventAggregator();
    aggregator.attach(orders, { type: 'order' });
    aggregator.attach(users, { type: 'user' });
    aggregator.setFilter('order', (event) => (event.data as { total: number }).total > 100);
    const stream = collect(aggregator.events);

    await orders.emit({ total: 50 });
    await orders.emit({ total: 150 });
    await users.emit('u1');
    await settle();

    expect(stream.map((event) => event.data)).toEqual([{ total: 150 }, 'u1']);
  });

  it('removes the filter when given undefined', async () => {
    const orders = createSignal<number>();
    const aggregator = new EventAggregator();
    aggregator.attach(orders, { type: 'order' });
    aggregator.setFilter('order', () => false);
    aggregator.setFilter('order', undefined);
    const stream = collect(aggregator.events);

    await orders.emit(1);
    await settle();

    expect(stream).toHaveLength(1);
  });

  it('lets a throwing filter fail', async () => {
    const orders = createSyncSignal<number>();
    const aggregator = new EventAggregator();
    aggregator.attach(orders, { type: 'order' });
    aggregator.setFilter('order', () => {
      throw new Error('bad filter');
    });

    await expect(orders.tryEmit(1)).rejects.toThrow('bad filter');
  });

  it('rejects a non-function filter', () => {
    const aggregator = new EventAggregator();

    expect(() => aggregator.setFilter('order', 'yes' as never)).toThrow(
      /"filter" must be a function or undefined/,
    );
  });
});

describe('EventAggregator.dispose()', () => {
  it('removes every listener it added', () => {
    const users = createSignal<string>();
    const orders = createSignal<number>();
    const aggregator = new EventAggregator({ name: 'activity' });
    aggregator.attach(users, { type: 'user' });
    aggregator.attach(orders, { type: 'order' });
    aggregator.events.addListener(() => {});

    aggregator.dispose();

    expect(users.len()).toBe(0);
    expect(orders.len()).toBe(0);
    expect(aggregator.events.len()).toBe(0);
    expect(() => aggregator.attach(users, { type: 'user' })).toThrow(
      /aggregator "activity" was disposed/,
    );
  });
});
