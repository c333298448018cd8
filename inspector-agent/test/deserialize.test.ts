import { describe, expect, it } from 'vitest';
import { DeserializeError, deserialize } from '../src/deserialize.js';
import { serialize } from '../src/serialize.js';
import { circular, errorWithCause, nest, Point, withOwnGetter } from './values.js';

const trap = () => {
  throw new Error('trap ran');
};
const hostileProxy = new Proxy(
  {},
  { get: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap },
);

describe('deserialize()', () => {
  it('rebuilds JSON-ish values', () => {
    const original = {
      name: 'order',
      at: new Date(Date.UTC(2024, 0, 1)),
      tags: new Set(['a']),
      totals: new Map([['eur', 10n]]),
      ratio: Number.NaN,
      list: [1, null, undefined],
      pattern: /x/g,
    };

    const rebuilt = deserialize(serialize(original).value);

    expect(rebuilt).toEqual(original);
  });

  it('rebuilds a complete Buffer', () => {
    const rebuilt = deserialize(serialize(Buffer.from('hi')).value);

    expect(Buffer.isBuffer(rebuilt)).toBe(true);
    expect((rebuilt as Buffer).toString()).toBe('hi');
  });

  it('rebuilds a built-in Error with cause', () => {
    const rebuilt = deserialize(serialize(errorWithCause()).value) as Error & { code: string };

    expect(rebuilt).toBeInstanceOf(Error);
    expect(rebuilt.message).toBe('fetch failed');
    expect(rebuilt.code).toBe('E_FETCH');
    expect(rebuilt.cause).toBeInstanceOf(TypeError);
  });

  const rejected: readonly { name: string; value: () => unknown; options?: object }[] = [
    { name: 'truncated string', value: () => 'x'.repeat(50), options: { maxStringLength: 5 } },
    { name: 'cut array', value: () => [1, 2, 3], options: { maxItems: 1 } },
    { name: 'redacted value', value: () => ({ password: 'x' }) },
    { name: 'getter', value: withOwnGetter },
    { name: 'Proxy', value: () => hostileProxy },
    { name: 'class instance', value: () => new Point(1, 2) },
    { name: 'function', value: () => () => 1 },
    { name: 'circular reference', value: circular },
    { name: 'depth cut', value: () => nest(5), options: { maxDepth: 2 } },
  ];

  it.each(rejected)('rejects $name', ({ value, options }) => {
    const serialized = serialize(value(), options).value;

    expect(() => deserialize(serialized)).toThrow(DeserializeError);
  });

  it('names the path of the rejected value', () => {
    const serialized = serialize({ user: { password: 'x' } }).value;

    expect(() => deserialize(serialized)).toThrow('$.user.password is redacted');
  });
});
