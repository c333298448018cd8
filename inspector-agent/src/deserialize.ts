/**
 * Rebuilds app values from {@link SerializedValue} trees for replay, and rejects every value
 * that the serializer cut or could not read.
 */
import type { SerializedValue } from './protocol.js';

const isArray = Array.isArray;
const objectKeys = Object.keys;

/** Thrown by {@link deserialize} for a value it cannot rebuild faithfully. */
export class DeserializeError extends Error {
  override readonly name = 'DeserializeError';
  /** The protocol error code a replay reports for this failure. */
  readonly code = 'invalid_payload';

  constructor(
    message: string,
    /** The path of the rejected value, as `$.order.items[0]`. */
    readonly path: string,
  ) {
    super(message);
  }
}

const MAX_DESERIALIZE_DEPTH = 1000;

const BINARY_CONSTRUCTORS: Readonly<
  Record<string, { readonly bytesPerElement: number; create(bytes: Uint8Array): unknown }>
> = {
  ArrayBuffer: { bytesPerElement: 1, create: (bytes) => bytes.slice().buffer },
  Buffer: { bytesPerElement: 1, create: (bytes) => Buffer.from(bytes) },
  Uint8Array: { bytesPerElement: 1, create: (bytes) => bytes.slice() },
  Uint8ClampedArray: {
    bytesPerElement: 1,
    create: (bytes) => new Uint8ClampedArray(bytes.slice().buffer),
  },
  Int8Array: { bytesPerElement: 1, create: (bytes) => new Int8Array(bytes.slice().buffer) },
  Uint16Array: { bytesPerElement: 2, create: (bytes) => new Uint16Array(bytes.slice().buffer) },
  Int16Array: { bytesPerElement: 2, create: (bytes) => new Int16Array(bytes.slice().buffer) },
  Uint32Array: { bytesPerElement: 4, create: (bytes) => new Uint32Array(bytes.slice().buffer) },
  Int32Array: { bytesPerElement: 4, create: (bytes) => new Int32Array(bytes.slice().buffer) },
  Float32Array: { bytesPerElement: 4, create: (bytes) => new Float32Array(bytes.slice().buffer) },
  Float64Array: { bytesPerElement: 8, create: (bytes) => new Float64Array(bytes.slice().buffer) },
  BigInt64Array: {
    bytesPerElement: 8,
    create: (bytes) => new BigInt64Array(bytes.slice().buffer),
  },
  BigUint64Array: {
    bytesPerElement: 8,
    create: (bytes) => new BigUint64Array(bytes.slice().buffer),
  },
  DataView: { bytesPerElement: 1, create: (bytes) => new DataView(bytes.slice().buffer) },
};

const ERROR_CONSTRUCTORS: Readonly<Record<string, ErrorConstructor>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * Rebuilds an app value from a {@link SerializedValue}: primitives, special numbers, bigint,
 * plain objects, arrays, Date, RegExp, Map, Set, built-in errors and complete binary data.
 *
 * @throws {DeserializeError} (code `invalid_payload`) when the value cannot be rebuilt
 *   faithfully: anything truncated, redacted, unreadable or opaque, a class instance, a
 *   function, a symbol or a circular reference. A replay must never send a silently damaged
 *   payload.
 * @example
 * deserialize({ $: 'map', size: 1, entries: [['a', { $: 'bigint', value: '1' }]] });
 * // Map { 'a' => 1n }
 */
export function deserialize(serialized: SerializedValue): unknown {
  return rebuild(serialized, '$', 0);
}

function rebuild(value: unknown, path: string, depth: number): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    throw new DeserializeError(`deserialize: ${path} is a non-finite JSON number`, path);
  }
  if (typeof value !== 'object' || isArray(value)) {
    throw new DeserializeError(
      `deserialize: ${path} is not a serialized value (expected a primitive or an object with "$")`,
      path,
    );
  }
  if (depth > MAX_DESERIALIZE_DEPTH) {
    throw new DeserializeError(
      `deserialize: ${path} is nested deeper than ${MAX_DESERIALIZE_DEPTH} levels`,
      path,
    );
  }

  const node = value as { readonly $?: unknown } & Record<string, unknown>;
  const rebuilder = typeof node.$ === 'string' ? REBUILDERS[node.$] : undefined;
  if (rebuilder === undefined) {
    throw new DeserializeError(
      `deserialize: ${path} has unknown tag ${JSON.stringify(node.$ ?? null)}`,
      path,
    );
  }
  return rebuilder(node, path, depth + 1);
}

type Rebuilder = (node: Record<string, unknown>, path: string, depth: number) => unknown;

function reject(path: string, description: string): never {
  throw new DeserializeError(
    `deserialize: ${path} is ${description} and cannot be rebuilt faithfully; send an edited payload instead`,
    path,
  );
}

function requireArray(node: Record<string, unknown>, key: string, path: string): unknown[] {
  const value = node[key];
  if (!isArray(value)) {
    throw new DeserializeError(`deserialize: ${path}.${key} must be an array`, path);
  }
  return value;
}

function requireString(node: Record<string, unknown>, key: string, path: string): string {
  const value = node[key];
  if (typeof value !== 'string') {
    throw new DeserializeError(`deserialize: ${path}.${key} must be a string`, path);
  }
  return value;
}

const REBUILDERS: Readonly<Record<string, Rebuilder>> = {
  undefined: () => undefined,
  number: (node, path) => {
    switch (node.value) {
      case 'NaN':
        return Number.NaN;
      case 'Infinity':
        return Number.POSITIVE_INFINITY;
      case '-Infinity':
        return Number.NEGATIVE_INFINITY;
      case '-0':
        return -0;
      default:
        throw new DeserializeError(`deserialize: ${path} is an unknown special number`, path);
    }
  },
  bigint: (node, path) => {
    try {
      return BigInt(requireString(node, 'value', path));
    } catch (error) {
      if (error instanceof DeserializeError) throw error;
      throw new DeserializeError(`deserialize: ${path} is not a valid bigint`, path);
    }
  },
  date: (node, path) => {
    if (node.iso === null) return new Date(Number.NaN);
    const date = new Date(requireString(node, 'iso', path));
    if (Number.isNaN(date.getTime())) {
      throw new DeserializeError(`deserialize: ${path} is not a valid ISO date`, path);
    }
    return date;
  },
  regexp: (node, path) => {
    try {
      return new RegExp(requireString(node, 'source', path), requireString(node, 'flags', path));
    } catch (error) {
      if (error instanceof DeserializeError) throw error;
      throw new DeserializeError(`deserialize: ${path} is not a valid regular expression`, path);
    }
  },
  array: (node, path, depth) => {
    const items = requireArray(node, 'items', path);
    if (node.length !== items.length) reject(path, `an array cut to ${items.length} items`);
    return items.map((item, index) => rebuild(item, `${path}[${index}]`, depth));
  },
  object: (node, path, depth) => {
    if (node.className !== undefined)
      reject(path, `an instance of class ${String(node.className)}`);

    const entries = node.entries;
    if (entries === null || typeof entries !== 'object' || isArray(entries)) {
      throw new DeserializeError(`deserialize: ${path}.entries must be an object`, path);
    }
    const keys = objectKeys(entries);
    if (node.size !== keys.length) reject(path, `an object cut to ${keys.length} properties`);

    const result: Record<string, unknown> = {};
    for (const key of keys) {
      // defineProperty keeps a `__proto__` key an own property instead of changing the prototype.
      Object.defineProperty(result, key, {
        value: rebuild((entries as Record<string, unknown>)[key], `${path}.${key}`, depth),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return result;
  },
  map: (node, path, depth) => {
    const entries = requireArray(node, 'entries', path);
    if (node.size !== entries.length) reject(path, `a Map cut to ${entries.length} entries`);

    const map = new Map<unknown, unknown>();
    entries.forEach((entry, index) => {
      if (!isArray(entry) || entry.length !== 2) {
        throw new DeserializeError(
          `deserialize: ${path} entry ${index} must be a [key, value] pair`,
          path,
        );
      }
      map.set(
        rebuild(entry[0], `${path}[entry ${index}].key`, depth),
        rebuild(entry[1], `${path}[entry ${index}].value`, depth),
      );
    });
    return map;
  },
  set: (node, path, depth) => {
    const items = requireArray(node, 'items', path);
    if (node.size !== items.length) reject(path, `a Set cut to ${items.length} items`);
    return new Set(items.map((item, index) => rebuild(item, `${path}[item ${index}]`, depth)));
  },
  error: (node, path, depth) => {
    const className = requireString(node, 'className', path);
    const ErrorClass = ERROR_CONSTRUCTORS[className];
    if (ErrorClass === undefined) reject(path, `an instance of error class ${className}`);

    const error = new ErrorClass(requireString(node, 'message', path));
    error.name = requireString(node, 'name', path);
    if (typeof node.stack === 'string') error.stack = node.stack;
    if ('cause' in node) error.cause = rebuild(node.cause, `${path}.cause`, depth);

    const props = node.props;
    if (props !== undefined && props !== null && typeof props === 'object') {
      for (const [key, prop] of Object.entries(props)) {
        Object.defineProperty(error, key, {
          value: rebuild(prop, `${path}.${key}`, depth),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    return error;
  },
  bytes: (node, path) => {
    const className = requireString(node, 'className', path);
    const preview = requireString(node, 'preview', path);
    const byteLength = node.byteLength;
    const binary = BINARY_CONSTRUCTORS[className];
    if (binary === undefined) reject(path, `binary data of class ${className}`);
    if (preview.length !== (byteLength as number) * 2 || !/^[0-9a-f]*$/.test(preview)) {
      reject(path, `binary data cut to a preview of ${preview.length / 2} bytes`);
    }
    if ((byteLength as number) % binary.bytesPerElement !== 0) {
      reject(path, `a ${className} whose byte length is not a multiple of its element size`);
    }
    return binary.create(Uint8Array.from(Buffer.from(preview, 'hex')));
  },
  string: (node, path) => reject(path, `a string cut to ${String(node.preview).length} characters`),
  symbol: (_node, path) => reject(path, 'a symbol'),
  function: (_node, path) => reject(path, 'a function'),
  circular: (node, path) => reject(path, `a circular reference to ${String(node.path)}`),
  truncated: (_node, path) => reject(path, 'truncated'),
  redacted: (_node, path) => reject(path, 'redacted'),
  opaque: (node, path) => reject(path, `an opaque ${String(node.className)}`),
  unreadable: (_node, path) => reject(path, 'unreadable'),
};
