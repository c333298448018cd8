import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ConcurrencyError,
  createSyncSignal,
  EventStore,
  type StoredEvent,
  type TraceEvent,
  traceChannel,
} from '../../src/index.js';
import { collect, settle } from './helpers.js';

interface Deposit {
  amount: number;
  tags?: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-03-04T05:06:07Z'));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('new EventStore()', () => {
  it('starts empty at version 0', () => {
    const store = new EventStore();

    expect(store.version).toBe(0);
    expect(store.events()).toEqual([]);
    expect(store.name).toBe(`event-store#${store.id}`);
  });

  it('names and owns its signal', () => {
    const store = new EventStore({ name: 'accounts' });

    expect(store.appended.name).toBe('accounts.appended');
    expect(store.appended.owner).toEqual({ kind: 'event-store', name: 'accounts' });
  });
});

describe('EventStore.append()', () => {
  it('assigns versions from 1', () => {
    const store = new EventStore<Deposit>();

    const first = store.append('deposited', { amount: 10 });
    const second = store.append('withdrawn', { amount: 3 });

    expect(first).toEqual({
      id: expect.stringMatching(UUID),
      type: 'deposited',
      data: { amount: 10 },
      timestamp: Date.parse('2026-03-04T05:06:07Z'),
      version: 1,
    });
    expect(second.version).toBe(2);
    expect(second.id).not.toBe(first.id);
    expect(store.version).toBe(2);
  });

  it('keeps a copy of the input', () => {
    const store = new EventStore<Deposit>();
    const data: Deposit = { amount: 10, tags: ['salary'] };

    store.append('deposited', data);
    data.amount = 999;
    data.tags?.push('changed');

    expect(store.events()[0]?.data).toEqual({ amount: 10, tags: ['salary'] });
  });

  it('returns copies that callers may change freely', () => {
    const store = new EventStore<Deposit>();
    const returned = store.append('deposited', { amount: 10, tags: ['a'] });

    returned.data.tags?.push('changed');
    const read = store.events()[0]!;
    read.data.amount = 0;

    expect(store.events()[0]?.data).toEqual({ amount: 10, tags: ['a'] });
  });

  it('emits a copy on appended', async () => {
    const store = new EventStore<Deposit>();
    const appended = collect(store.appended);

    const record = store.append('deposited', { amount: 10 });
    await settle();

    expect(appended).toEqual([record]);
    expect(appended[0]).not.toBe(record);
  });

  it('appends when expectedVersion matches', () => {
    const store = new EventStore<Deposit>();

    store.append('deposited', { amount: 1 }, { expectedVersion: 0 });
    const second = store.append('deposited', { amount: 2 }, { expectedVersion: 1 });

    expect(second.version).toBe(2);
  });

  it('throws ConcurrencyError when expectedVersion is stale', () => {
    const store = new EventStore<Deposit>({ name: 'accounts' });
    store.append('deposited', { amount: 1 });
    store.append('deposited', { amount: 2 });

    let error: unknown;
    try {
      store.append('withdrawn', { amount: 3 }, { expectedVersion: 1 });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ store: 'accounts', expectedVersion: 1, actualVersion: 2 });
    expect((error as Error).message).toMatch(/expected version 1, but the store is at version 2/);
    expect(store.version).toBe(2);
  });

  it.each([
    ['', { amount: 1 }, undefined, TypeError, /"type" must be a non-empty string/],
    [
      'deposited',
      { amount: 1 },
      null as never,
      TypeError,
      /EventStore.append: "options" must be an object/,
    ],
    [
      'deposited',
      { amount: 1 },
      { expectedVersion: -1 },
      RangeError,
      /"options.expectedVersion" must be an integer >= 0/,
    ],
    [
      'deposited',
      { run: () => 1 },
      undefined,
      TypeError,
      /"data" of event "deposited" cannot be copied with structuredClone/,
    ],
  ])('rejects bad arguments (%#)', (type, data, options, errorClass, message) => {
    const store = new EventStore();
    const append = () => store.append(type, data, options);

    expect(append).toThrow(errorClass);
    expect(append).toThrow(message);
    expect(store.version).toBe(0);
  });

  it('publishes eventstore.appended', () => {
    const events: TraceEvent[] = [];
    const subscriber = (event: TraceEvent) => {
      if (event.type === 'eventstore.appended') events.push(event);
    };
    traceChannel.subscribe(subscriber);

    try {
      const store = new EventStore<Deposit>({ name: 'accounts' });
      store.append('deposited', { amount: 10 });

      expect(events).toEqual([
        {
          type: 'eventstore.appended',
          ts: expect.any(Number),
          storeId: store.id,
          name: 'accounts',
          version: 1,
          eventType: 'deposited',
          payload: { amount: 10 },
        },
      ]);
    } finally {
      traceChannel.unsubscribe(subscriber);
    }
  });
});

describe('EventStore.events()', () => {
  it('returns events from fromVersion on, inclusive', () => {
    const store = new EventStore<number>();
    for (let i = 1; i <= 4; i++) store.append('counted', i);

    expect(store.events(3).map((event) => event.data)).toEqual([3, 4]);
    expect(store.events(5)).toEqual([]);
  });

  it('rejects a fromVersion below 1', () => {
    const store = new EventStore();

    expect(() => store.events(0)).toThrow(
      /EventStore.events: "fromVersion" must be an integer >= 1/,
    );
  });
});

describe('EventStore.replay()', () => {
  it('calls a listener in version order', async () => {
    const store = new EventStore<number>();
    for (let i = 1; i <= 4; i++) store.append('counted', i);
    const seen: number[] = [];

    const count = await store.replay(2, async (event) => {
      await Promise.resolve();
      seen.push(event.version);
    });

    expect(count).toBe(3);
    expect(seen).toEqual([2, 3, 4]);
  });

  it('emits on a signal target', async () => {
    const store = new EventStore<number>();
    store.append('counted', 1);
    store.append('counted', 2);
    const target = createSyncSignal<StoredEvent<number>>();
    const replayed: number[] = [];
    target.addListener((event) => {
      replayed.push(event.data);
    });
    const live = collect(store.appended);
    await settle();
    live.length = 0;

    await store.replay(1, target);
    await settle();

    expect(replayed).toEqual([1, 2]);
    expect(live).toEqual([]);
  });

  it('leaves out events appended during the replay', async () => {
    const store = new EventStore<number>();
    store.append('counted', 1);
    store.append('counted', 2);
    const seen: number[] = [];

    const count = await store.replay(1, (event) => {
      seen.push(event.data);
      if (event.version === 1) store.append('counted', 3);
    });

    expect(count).toBe(2);
    expect(seen).toEqual([1, 2]);
    expect(store.version).toBe(3);
  });

  it('stops when ctx.signal aborts', async () => {
    const store = new EventStore<number>();
    for (let i = 1; i <= 3; i++) store.append('counted', i);
    const controller = new AbortController();
    const seen: number[] = [];

    const replay = store.replay(
      1,
      (event) => {
        seen.push(event.data);
        controller.abort(new Error('enough'));
      },
      { signal: controller.signal },
    );

    await expect(replay).rejects.toThrow('enough');
    expect(seen).toEqual([1]);
  });

  it('rejects when a listener target throws', async () => {
    const store = new EventStore<number>();
    store.append('counted', 1);

    await expect(
      store.replay(1, () => {
        throw new Error('projection broke');
      }),
    ).rejects.toThrow('projection broke');
  });

  it('rejects an invalid target', async () => {
    const store = new EventStore<number>();

    await expect(store.replay(1, {} as never)).rejects.toThrow(
      /EventStore.replay: "target" must be a listener function or a signal/,
    );
  });
});
