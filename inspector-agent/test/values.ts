// Values that the serializer and deserializer tests both feed in.

export class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

export function nest(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = { child: value };
  return value;
}

export function circular(): unknown {
  const order: { id: number; items: unknown[] } = { id: 1, items: [] };
  order.items.push({ order });
  return { order };
}

export function withOwnGetter(): unknown {
  const value = { visible: 1 };
  Object.defineProperty(value, 'hidden', {
    enumerable: true,
    get() {
      throw new Error('getter ran');
    },
  });
  return value;
}

export function errorWithCause(): Error {
  const root = new TypeError('socket closed');
  const error = new Error('fetch failed', { cause: root }) as Error & { code?: string };
  error.code = 'E_FETCH';
  return error;
}
