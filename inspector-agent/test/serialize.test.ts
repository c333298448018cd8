import { describe, expect, it } from 'vitest';
import type { SerializedValue } from '../src/protocol.js';
import { serialize } from '../src/serialize.js';
import { circular, errorWithCause, nest, Point, withOwnGetter } from './values.js';

class ThrowingGetter {
  readonly plain = 1;
  get boom(): never {
    throw new Error('getter ran');
  }
}

function revokedProxy(): unknown {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

const trap = () => {
  throw new Error('trap ran');
};
const hostileProxy = new Proxy(
  {},
  { get: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap },
);

const cases: readonly { name: string; value: () => unknown; expected: SerializedValue }[] = [
  {
    name: 'circular reference',
    value: circular,
    expected: {
      $: 'object',
      size: 1,
      entries: {
        order: {
          $: 'object',
          size: 2,
          entries: {
            id: 1,
            items: {
              $: 'array',
              length: 1,
              items: [
                { $: 'object', size: 1, entries: { order: { $: 'circular', path: '$.order' } } },
              ],
            },
          },
        },
      },
    },
  },
  {
    name: 'bigint',
    value: () => 12345678901234567890n,
    expected: { $: 'bigint', value: '12345678901234567890' },
  },
  {
    name: 'Map',
    value: () =>
      new Map<unknown, unknown>([
        ['a', 1],
        [2, 'b'],
      ]),
    expected: {
      $: 'map',
      size: 2,
      entries: [
        ['a', 1],
        [2, 'b'],
      ],
    },
  },
  {
    name: 'Set',
    value: () => new Set([1, 'two']),
    expected: { $: 'set', size: 2, items: [1, 'two'] },
  },
  {
    name: 'Date',
    value: () => new Date(Date.UTC(2024, 0, 2)),
    expected: { $: 'date', iso: '2024-01-02T00:00:00.000Z' },
  },
  { name: 'invalid Date', value: () => new Date(Number.NaN), expected: { $: 'date', iso: null } },
  { name: 'RegExp', value: () => /a+b/gi, expected: { $: 'regexp', source: 'a+b', flags: 'gi' } },
  {
    name: 'Uint8Array',
    value: () => new Uint8Array([1, 2, 255]),
    expected: { $: 'bytes', className: 'Uint8Array', byteLength: 3, preview: '0102ff' },
  },
  {
    name: 'Buffer',
    value: () => Buffer.from('hi'),
    expected: { $: 'bytes', className: 'Buffer', byteLength: 2, preview: '6869' },
  },
  {
    name: 'ArrayBuffer',
    value: () => new Uint8Array([7]).buffer,
    expected: { $: 'bytes', className: 'ArrayBuffer', byteLength: 1, preview: '07' },
  },
  {
    name: 'DataView',
    value: () => new DataView(new Uint8Array([1, 2, 3, 4]).buffer, 1, 2),
    expected: { $: 'bytes', className: 'DataView', byteLength: 2, preview: '0203' },
  },
  {
    name: 'function',
    value: () =>
      function handleOrder() {
        return 1;
      },
    expected: { $: 'function', name: 'handleOrder' },
  },
  {
    name: 'symbol',
    value: () => Symbol('order'),
    expected: { $: 'symbol', description: 'order' },
  },
  {
    name: 'symbol keys',
    value: () => ({ [Symbol('hidden')]: 1, shown: 2 }),
    expected: { $: 'object', size: 1, entries: { shown: 2 } },
  },
  {
    name: 'class instance',
    value: () => new Point(1, 2),
    expected: { $: 'object', className: 'Point', size: 2, entries: { x: 1, y: 2 } },
  },
  {
    name: 'null prototype',
    value: () => Object.assign(Object.create(null), { a: 1 }),
    expected: { $: 'object', size: 1, entries: { a: 1 } },
  },
  {
    name: 'prototype getter',
    value: () => new ThrowingGetter(),
    expected: { $: 'object', className: 'ThrowingGetter', size: 1, entries: { plain: 1 } },
  },
  {
    name: 'own throwing getter',
    value: withOwnGetter,
    expected: {
      $: 'object',
      size: 2,
      entries: { visible: 1, hidden: { $: 'unreadable', reason: 'getter' } },
    },
  },
  {
    name: 'throwing toJSON',
    value: () => ({
      id: 3,
      toJSON() {
        throw new Error('toJSON ran');
      },
    }),
    expected: {
      $: 'object',
      size: 2,
      entries: { id: 3, toJSON: { $: 'function', name: 'toJSON' } },
    },
  },
  { name: 'Proxy', value: () => hostileProxy, expected: { $: 'opaque', className: 'Proxy' } },
  { name: 'revoked Proxy', value: revokedProxy, expected: { $: 'opaque', className: 'Proxy' } },
  {
    name: 'function Proxy',
    value: () => new Proxy(() => 1, { get: trap }),
    expected: { $: 'opaque', className: 'Proxy' },
  },
  { name: 'WeakMap', value: () => new WeakMap(), expected: { $: 'opaque', className: 'WeakMap' } },
  { name: 'WeakSet', value: () => new WeakSet(), expected: { $: 'opaque', className: 'WeakSet' } },
  {
    name: 'Promise',
    value: () => Promise.resolve(1),
    expected: { $: 'opaque', className: 'Promise' },
  },
  {
    name: 'special numbers',
    value: () => [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1.5],
    expected: {
      $: 'array',
      length: 5,
      items: [
        { $: 'number', value: 'NaN' },
        { $: 'number', value: 'Infinity' },
        { $: 'number', value: '-Infinity' },
        { $: 'number', value: '-0' },
        1.5,
      ],
    },
  },
  {
    name: 'sparse array',
    // biome-ignore lint/suspicious/noSparseArray: the hole is the case under test
    value: () => [1, , 3],
    expected: { $: 'array', length: 3, items: [1, { $: 'undefined' }, 3] },
  },
  {
    name: 'redaction',
    value: () => ({
      user: 'ada',
      password: 'hunter2',
      API_KEY: 'k',
      'x-api-key': 'k',
      sessionId: 's',
      nested: { authToken: 't' },
    }),
    expected: {
      $: 'object',
      size: 6,
      entries: {
        user: 'ada',
        password: { $: 'redacted' },
        API_KEY: { $: 'redacted' },
        'x-api-key': { $: 'redacted' },
        sessionId: { $: 'redacted' },
        nested: { $: 'object', size: 1, entries: { authToken: { $: 'redacted' } } },
      },
    },
  },
  {
    name: 'redacted Map key',
    value: () => new Map([['Authorization', 'Bearer x']]),
    expected: { $: 'map', size: 1, entries: [['Authorization', { $: 'redacted' }]] },
  },
];

describe('serialize()', () => {
  it.each(cases)('serializes $name', ({ value, expected }) => {
    const input = value();

    const result = serialize(input);

    expect(result.value).toEqual(expected);
  });

  it('serializes Error with cause chain and code', () => {
    const result = serialize(errorWithCause());

    expect(result.value).toMatchObject({
      $: 'error',
      className: 'Error',
      name: 'Error',
      message: 'fetch failed',
      cause: { $: 'error', className: 'TypeError', name: 'TypeError', message: 'socket closed' },
      props: { code: 'E_FETCH' },
    });
    expect((result.value as { stack: string }).stack).toContain('fetch failed');
  });

  it('serializes Error subclass with its class name', () => {
    class PaymentError extends Error {
      override name = 'PaymentError';
    }

    const result = serialize(new PaymentError('declined'));

    expect(result.value).toMatchObject({
      $: 'error',
      className: 'PaymentError',
      name: 'PaymentError',
      message: 'declined',
    });
    expect(result.value).not.toHaveProperty('props');
  });

  it('does not invoke getters', () => {
    let calls = 0;
    const value = {
      get counted() {
        calls++;
        return 1;
      },
    };

    serialize(value);

    expect(calls).toBe(0);
  });

  it('cuts 10k-deep nesting at maxDepth', () => {
    const result = serialize(nest(10_000), { maxDepth: 3 });

    expect(result.truncated).toBe(true);
    expect(result.value).toEqual({
      $: 'object',
      size: 1,
      entries: {
        child: {
          $: 'object',
          size: 1,
          entries: {
            child: {
              $: 'object',
              size: 1,
              entries: { child: { $: 'truncated', reason: 'depth', className: 'Object' } },
            },
          },
        },
      },
    });
  });

  it('keeps maxItems of a 1e6-element array', () => {
    const result = serialize(new Array(1_000_000).fill(7), { maxItems: 3 });

    expect(result.value).toEqual({ $: 'array', length: 1_000_000, items: [7, 7, 7] });
    expect(result.truncated).toBe(true);
  });

  it('cuts a huge string to maxStringLength', () => {
    const result = serialize('x'.repeat(5_000_000), { maxStringLength: 4 });

    expect(result.value).toEqual({ $: 'string', preview: 'xxxx', length: 5_000_000 });
    expect(result.truncated).toBe(true);
  });

  it('stops at maxBytes', () => {
    const value = Array.from({ length: 50 }, (_, index) => `item-${index}`.padEnd(100, '.'));

    const result = serialize(value, { maxBytes: 500, maxItems: 1000 });

    const serialized = result.value as unknown as { items: unknown[]; length: number };
    expect(serialized.length).toBe(50);
    expect(serialized.items.length).toBeLessThan(10);
    expect(result.truncated).toBe(true);
    expect(result.bytes).toBeLessThan(800);
  });

  it('keeps maxItems properties of an object with many keys', () => {
    const value: Record<string, number> = {};
    for (let index = 0; index < 200_000; index++) value[`k${index}`] = index;

    const result = serialize(value, { maxItems: 2 });

    expect(result.value).toEqual({ $: 'object', size: 200_000, entries: { k0: 0, k1: 1 } });
  });

  it('shows the first bytes of a large buffer', () => {
    const result = serialize(Buffer.alloc(1000, 0xab), { maxBinaryPreviewBytes: 2 });

    expect(result.value).toEqual({
      $: 'bytes',
      className: 'Buffer',
      byteLength: 1000,
      preview: 'abab',
    });
    expect(result.truncated).toBe(true);
  });

  it('applies custom redact patterns', () => {
    const result = serialize({ ssn: '1', name: 'a' }, { redact: [/^ssn$/i] });

    expect(result.value).toEqual({
      $: 'object',
      size: 2,
      entries: { ssn: { $: 'redacted' }, name: 'a' },
    });
  });

  it('ignores a patched Map.prototype.entries', () => {
    const original = Map.prototype.entries;
    Map.prototype.entries = () => {
      throw new Error('patched entries ran');
    };
    try {
      const result = serialize(new Map([['a', 1]]));

      expect(result.value).toEqual({ $: 'map', size: 1, entries: [['a', 1]] });
    } finally {
      Map.prototype.entries = original;
    }
  });

  it('reports a negative option with its name', () => {
    expect(() => serialize(1, { maxDepth: -1 })).toThrow(/"maxDepth" must be a positive integer/);
  });
});
