import { describe, expect, it } from 'vitest';
import { type Context, createSignal, createSyncSignal } from '../../src/index.js';

// Casts let these tests pass the wrong types that JavaScript callers can pass.
const asAny = (value: unknown) => value as never;

describe.each([
  ['AsyncSignal', createSignal],
  ['SyncSignal', createSyncSignal],
] as const)('%s arguments', (typeName, create) => {
  it('addListener rejects a non-function listener', () => {
    const signal = create<void>();

    expect(() => signal.addListener(asAny('handler'))).toThrow(TypeError);
    expect(() => signal.addListener(asAny(null))).toThrow(
      `${typeName}.addListener: "listener" must be a function, received null`,
    );
  });

  it('addListener rejects an empty key', () => {
    const signal = create<void>();

    expect(() => signal.addListener(() => {}, '')).toThrow(
      `${typeName}.addListener: "key" must be a non-empty string or omitted, received string ""`,
    );
    expect(signal.len()).toBe(0);
  });

  it('addListener rejects a non-string key', () => {
    const signal = create<void>();

    expect(() => signal.addListener(() => {}, asAny(42))).toThrow(TypeError);
    expect(() => signal.addListener(() => {}, asAny(42))).toThrow('"key"');
  });

  it('removeListener rejects a bad key', () => {
    const signal = create<void>();

    expect(() => signal.removeListener('')).toThrow(`${typeName}.removeListener: "key"`);
    expect(() => signal.removeListener(asAny(undefined))).toThrow(TypeError);
  });

  it('removeListener names the key as required', () => {
    const signal = create<void>();

    expect(() => signal.removeListener(asAny(undefined))).toThrow(
      `${typeName}.removeListener: "key" must be a non-empty string, received undefined`,
    );
  });

  it('emit rejects a non-object ctx', () => {
    const signal = create<void>();

    for (const ctx of [null, 42, 'ctx', true]) {
      expect(() => signal.emit(undefined, asAny(ctx))).toThrow(TypeError);
    }
    expect(() => signal.emit(undefined, asAny(null))).toThrow(
      `${typeName}.emit: "ctx" must be an object such as { signal: AbortSignal }, received null`,
    );
  });

  it('emit rejects a ctx.signal that is no AbortSignal', () => {
    const signal = create<void>();
    const ctx: Context = { signal: asAny({ aborted: 'no' }) };

    expect(() => signal.emit(undefined, ctx)).toThrow(`"ctx.signal" must be an AbortSignal`);
  });

  it('accepts any ctx object with extra values', async () => {
    const signal = create<void>();
    const received: Context[] = [];
    signal.addListener((_, ctx) => {
      received.push(ctx);
    });
    const ctx = { signal: new AbortController().signal, traceId: 't-1' };

    await signal.emit(undefined, ctx);

    expect(received).toEqual([ctx]);
  });

  it('rejects options of the wrong type', () => {
    const factory = typeName === 'AsyncSignal' ? 'createSignal' : 'createSyncSignal';
    const cases: [unknown, string][] = [
      [42, '"options"'],
      [{ name: '' }, '"options.name"'],
      [{ name: 7 }, '"options.name"'],
      [{ initialCapacity: -1 }, '"options.initialCapacity"'],
      [{ initialCapacity: 1.5 }, '"options.initialCapacity"'],
      [{ growth: 2 }, '"options.growth"'],
      [{ onError: 'log' }, '"options.onError"'],
      [{ experimental_owner: { kind: 'saga' } }, '"options.experimental_owner"'],
    ];

    for (const [options, option] of cases) {
      expect(() => create(asAny(options))).toThrow(TypeError);
      expect(() => create(asAny(options))).toThrow(`${factory}: ${option}`);
    }
  });

  it('accepts capacity options that change nothing', async () => {
    let growthCalls = 0;
    const signal = create<void>({
      initialCapacity: 50,
      growth: (capacity) => {
        growthCalls++;
        return capacity * 2;
      },
    });
    for (let i = 0; i < 100; i++) signal.addListener(() => {});

    await signal.emit();

    expect(signal.len()).toBe(100);
    expect(growthCalls).toBe(0);
  });
});

describe('SyncSignal.tryEmit arguments', () => {
  it('rejects a non-object ctx', () => {
    const signal = createSyncSignal<void>();

    expect(() => signal.tryEmit(undefined, asAny(5))).toThrow(
      'SyncSignal.tryEmit: "ctx" must be an object',
    );
  });
});
