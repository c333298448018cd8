import { describe, expect, it } from 'vitest';
import { serialize } from '../src/serialize.js';

// Hostile values an app might trace. Each test checks that the serializer runs no app code and
// that its output stays within the caps it was given.

function jsonLength(value: unknown): number {
  return JSON.stringify(value).length;
}

describe('serialize() on hostile values', () => {
  it('cuts a huge BigInt without converting it', () => {
    const huge = 3n ** 1_000_000n;

    const result = serialize(huge);

    expect(result.value).toEqual({ $: 'truncated', reason: 'bytes', className: 'BigInt' });
    expect(result.truncated).toBe(true);
  });

  it('keeps a BigInt within maxStringLength digits', () => {
    const result = serialize(-(10n ** 40n), { maxStringLength: 64 });

    expect(result.value).toEqual({ $: 'bigint', value: `-1${'0'.repeat(40)}` });
    expect(result.truncated).toBe(false);
  });

  it('cuts a BigInt longer than maxStringLength digits', () => {
    const result = serialize(10n ** 40n, { maxStringLength: 16 });

    expect(result.value).toEqual({ $: 'truncated', reason: 'bytes', className: 'BigInt' });
  });

  it('cuts a huge property key to the caps', () => {
    const key = 'k'.repeat(1_000_000);

    const result = serialize({ [key]: 1 }, { maxStringLength: 100 });

    expect(jsonLength(result.value)).toBeLessThan(400);
    expect(result.truncated).toBe(true);
    const entries = (result.value as { entries: Record<string, unknown> }).entries;
    expect(Object.keys(entries)).toEqual([`${'k'.repeat(100)}…`]);
  });

  it('keeps error texts within maxBytes together', () => {
    const error = new Error('m'.repeat(50_000));
    error.name = 'n'.repeat(50_000);

    const result = serialize(error, { maxStringLength: 100_000, maxBytes: 20_000 });

    expect(jsonLength(result.value)).toBeLessThan(21_000);
    expect(result.truncated).toBe(true);
  });

  it('does not run message or name getters of an Error subclass', () => {
    const calls: string[] = [];
    class HostileError extends Error {
      override get message(): string {
        calls.push('message');
        throw new Error('message getter ran');
      }
      override get name(): string {
        calls.push('name');
        return 'HostileError';
      }
    }

    const result = serialize(new HostileError());

    expect(calls).toEqual([]);
    expect(result.value).toMatchObject({ $: 'error', className: 'HostileError', message: '' });
  });

  it('does not run an own message accessor through stack', () => {
    const calls: string[] = [];
    const error = new Error('plain');
    Object.defineProperty(error, 'message', {
      get() {
        calls.push('message');
        return 'from getter';
      },
    });

    const result = serialize(error);

    expect(calls).toEqual([]);
    expect(result.value).toMatchObject({ $: 'error', message: '', stack: undefined });
  });

  it('does not enter a Proxy prototype of an Error', () => {
    const calls: string[] = [];
    const prototype = new Proxy(Error.prototype, {
      get(target, key, receiver) {
        calls.push(String(key));
        return Reflect.get(target, key, receiver);
      },
    });
    const error = Object.setPrototypeOf(new Error('behind a proxy'), prototype) as Error;

    const result = serialize(error);

    expect(calls).toEqual([]);
    expect(result.value).toMatchObject({ $: 'error', message: 'behind a proxy' });
  });

  it('keeps the errors list of an AggregateError', () => {
    const error = new AggregateError([new Error('first'), new TypeError('second')], 'both failed');

    const result = serialize(error);

    expect(result.value).toMatchObject({
      $: 'error',
      className: 'AggregateError',
      message: 'both failed',
      props: {
        errors: {
          $: 'array',
          length: 2,
          items: [
            { $: 'error', message: 'first' },
            { $: 'error', className: 'TypeError', message: 'second' },
          ],
        },
      },
    });
  });

  it('marks a circular cause chain', () => {
    const first = new Error('first') as Error & { cause?: unknown };
    const second = new Error('second', { cause: first });
    first.cause = second;

    const result = serialize(first);

    expect(result.value).toMatchObject({
      $: 'error',
      cause: { $: 'error', message: 'second', cause: { $: 'circular', path: '$' } },
    });
  });

  it('reads a detached buffer without throwing', () => {
    const buffer = new ArrayBuffer(8);
    const view = new Uint8Array(buffer);
    structuredClone(buffer, { transfer: [buffer] });

    const result = serialize({ view });

    expect(result.value).toMatchObject({ $: 'object', entries: { view: { $: 'unreadable' } } });
  });

  it('caps a sparse array of length 2**32-1', () => {
    const sparse: unknown[] = [];
    sparse.length = 2 ** 32 - 1;

    const result = serialize(sparse, { maxItems: Number.POSITIVE_INFINITY, maxBytes: 4096 });

    expect(result.value).toMatchObject({ $: 'array', length: 2 ** 32 - 1 });
    expect(jsonLength(result.value)).toBeLessThan(5000);
  });
});
