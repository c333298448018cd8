/**
 * Turns app values into {@link SerializedValue} trees that JSON can carry. `deserialize`, which
 * turns them back, lives in ./deserialize.ts and is exported from here too.
 *
 * `serialize` runs on the app's emit path, so it never throws, never hangs and does not call app
 * code, except an `Error.prepareStackTrace` hook when it reads a stack. It reads properties through property descriptors and never invokes getters, does not
 * look into Proxies, does not call `toJSON`, and reads built-in objects (Date, Map, Set, typed
 * arrays) through the built-in methods captured when this module loaded, so a patched prototype
 * cannot run either. Depth, string length, item count and byte caps bound its work.
 */
import { types } from 'node:util';
import type { SerializedValue } from './protocol.js';

/** Caps and redaction rules for {@link serialize}. */
export interface SerializeOptions {
  /**
   * Nesting depth below which objects, arrays, maps, sets and errors are cut to
   * `{ $: 'truncated', reason: 'depth' }`.
   * @default 16
   */
  readonly maxDepth?: number;
  /** Characters kept of a longer string, which becomes `{ $: 'string', preview, length }`. @default 1024 */
  readonly maxStringLength?: number;
  /** Items kept of an array, set or map and properties kept of an object. @default 100 */
  readonly maxItems?: number;
  /**
   * Estimated JSON bytes after which the serializer stops: later items are cut and values are
   * replaced by `{ $: 'truncated', reason: 'bytes' }`.
   * @default 16384
   */
  readonly maxBytes?: number;
  /** Bytes of a typed array, ArrayBuffer, DataView or Buffer shown in its hex preview. @default 64 */
  readonly maxBinaryPreviewBytes?: number;
  /**
   * Property names whose values become `{ $: 'redacted' }`. A string matches a key that contains
   * it, compared case-insensitively with `_`, `-`, `.` and spaces removed from both, so
   * `'apikey'` matches `API_KEY` and `x-api-key`. A RegExp is tested against the key as is.
   * @default DEFAULT_REDACT_PATTERNS
   */
  readonly redact?: readonly (string | RegExp)[];
}

/** The result of {@link serialize}. */
export interface SerializeResult {
  readonly value: SerializedValue;
  /** Estimated size of `value` as JSON, in bytes; string escapes are not counted. */
  readonly bytes: number;
  /** True when any cap cut something. Redaction does not count as truncation. */
  readonly truncated: boolean;
}

/** Key patterns redacted when the `redact` option is absent. */
export const DEFAULT_REDACT_PATTERNS: readonly string[] = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'authorization',
  'cookie',
  'apikey',
  'session',
  'privatekey',
  'credential',
  'signature',
];

/** The caps {@link serialize} applies when an option is absent. */
export const DEFAULT_SERIALIZE_LIMITS = {
  maxDepth: 16,
  maxStringLength: 1024,
  maxItems: 100,
  maxBytes: 16 * 1024,
  maxBinaryPreviewBytes: 64,
} as const;

// Built-in methods captured at load time, so an app that patches a prototype later cannot run
// code through them.
const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const getPrototypeOf = Object.getPrototypeOf;
const objectKeys = Object.keys;
const isArray = Array.isArray;
const dateGetTime = Date.prototype.getTime;
const dateToISOString = Date.prototype.toISOString;
const regexpSource = getter(RegExp.prototype, 'source');
const regexpFlags = getter(RegExp.prototype, 'flags');
const symbolDescription = getter(Symbol.prototype, 'description');
const mapSize = getter(Map.prototype, 'size');
const setSize = getter(Set.prototype, 'size');
const mapEntries = Map.prototype.entries;
const setValues = Set.prototype.values;
const mapIteratorNext = getPrototypeOf(new Map().entries()).next as () => IteratorResult<
  [unknown, unknown]
>;
const setIteratorNext = getPrototypeOf(new Set().values()).next as () => IteratorResult<unknown>;
const typedArrayPrototype = getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayBuffer = getter(typedArrayPrototype, 'buffer');
const typedArrayByteOffset = getter(typedArrayPrototype, 'byteOffset');
const typedArrayByteLength = getter(typedArrayPrototype, 'byteLength');
const dataViewBuffer = getter(DataView.prototype, 'buffer');
const dataViewByteOffset = getter(DataView.prototype, 'byteOffset');
const dataViewByteLength = getter(DataView.prototype, 'byteLength');
const arrayBufferByteLength = getter(ArrayBuffer.prototype, 'byteLength');
const sharedArrayBufferByteLength =
  typeof SharedArrayBuffer === 'function'
    ? getter(SharedArrayBuffer.prototype, 'byteLength')
    : undefined;

function getter(target: object, key: string): (this: unknown) => unknown {
  const get = getOwnPropertyDescriptor(target, key)?.get;
  if (get === undefined) throw new Error(`serialize: built-in getter ${key} is missing`);
  return get;
}

const UNDEFINED: SerializedValue = { $: 'undefined' };
const GETTER: SerializedValue = { $: 'unreadable', reason: 'getter' };
const REDACTED: SerializedValue = { $: 'redacted' };
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/**
 * Apps serialize the same few keys on every emit, so the redaction verdict and the path segment of
 * keys up to this length are cached, up to {@link MAX_CACHED_KEYS} keys per cache.
 */
const MAX_CACHED_KEY_LENGTH = 64;
const MAX_CACHED_KEYS = 1024;
const keySegments = new Map<string, string>();
/**
 * Decimal digits above which a bigint becomes `{ $: 'truncated', className: 'BigInt' }` even
 * when `maxStringLength` allows more, because converting it to decimal would stall the emit.
 */
const MAX_BIGINT_DIGITS = 10_000;

interface ResolvedOptions {
  readonly maxDepth: number;
  readonly maxStringLength: number;
  readonly maxItems: number;
  readonly maxBytes: number;
  readonly maxBinaryPreviewBytes: number;
  readonly redactSubstrings: readonly string[];
  readonly redactExpressions: readonly RegExp[];
  /** Whether a key is redacted, by key, for keys of at most {@link MAX_CACHED_KEY_LENGTH}. */
  readonly redactedKeys: Map<string, boolean>;
}

/** Serializes one value. Built by {@link createSerializer}. */
export type Serializer = (value: unknown) => SerializeResult;

/**
 * Builds a serializer with the given options resolved once, for callers that serialize many
 * values with the same caps.
 * @throws {TypeError} when an option is not a positive integer or a pattern is not a string or
 *   RegExp
 */
export function createSerializer(options: SerializeOptions = {}): Serializer {
  const resolved = resolveOptions(options);
  return (value) => serializePrimitive(value) ?? new SerializeRun(resolved).run(value);
}

/**
 * Serializes the primitives that pass through unchanged (booleans, null and finite numbers other
 * than -0) without the state of a full run, and returns undefined for every other value. The
 * byte counts match what {@link SerializeRun} charges for the same values.
 */
function serializePrimitive(value: unknown): SerializeResult | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || Object.is(value, -0)) return undefined;
    return { value, bytes: String(value).length, truncated: false };
  }
  if (typeof value === 'boolean') return { value, bytes: value ? 4 : 5, truncated: false };
  if (value === null) return { value, bytes: 4, truncated: false };
  return undefined;
}

/**
 * Serializes `value` into a JSON-safe tree. Never throws for any `value`: a part that cannot be
 * read becomes `{ $: 'unreadable', reason }`.
 *
 * @throws {TypeError} only for invalid `options`
 * @example
 * serialize({ user: 'ada', password: 'hunter2', at: new Date(0) }).value;
 * // { $: 'object', size: 3, entries: { user: 'ada', password: { $: 'redacted' },
 * //   at: { $: 'date', iso: '1970-01-01T00:00:00.000Z' } } }
 */
export function serialize(value: unknown, options: SerializeOptions = {}): SerializeResult {
  return createSerializer(options)(value);
}

function resolveOptions(options: SerializeOptions): ResolvedOptions {
  const limits = DEFAULT_SERIALIZE_LIMITS;
  const redact = options.redact ?? DEFAULT_REDACT_PATTERNS;
  if (!isArray(redact)) {
    throw new TypeError(
      `serialize: "redact" must be an array of strings and RegExps, received ${typeof redact}`,
    );
  }

  const redactSubstrings: string[] = [];
  const redactExpressions: RegExp[] = [];
  for (const pattern of redact) {
    if (typeof pattern === 'string' && pattern.length > 0) {
      redactSubstrings.push(normalizeKey(pattern));
    } else if (pattern instanceof RegExp) {
      // A global or sticky RegExp keeps state between `test` calls, which would skip matches.
      redactExpressions.push(new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')));
    } else {
      throw new TypeError(
        `serialize: every "redact" pattern must be a non-empty string or a RegExp, received ${String(pattern)}`,
      );
    }
  }

  return {
    maxDepth: positiveInteger('maxDepth', options.maxDepth, limits.maxDepth),
    maxStringLength: positiveInteger(
      'maxStringLength',
      options.maxStringLength,
      limits.maxStringLength,
    ),
    maxItems: positiveInteger('maxItems', options.maxItems, limits.maxItems),
    maxBytes: positiveInteger('maxBytes', options.maxBytes, limits.maxBytes),
    maxBinaryPreviewBytes: positiveInteger(
      'maxBinaryPreviewBytes',
      options.maxBinaryPreviewBytes,
      limits.maxBinaryPreviewBytes,
    ),
    redactSubstrings,
    redactExpressions,
    redactedKeys: new Map(),
  };
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === Number.POSITIVE_INFINITY) return value;
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(
      `serialize: "${name}" must be a positive integer or Infinity, received ${String(value)}`,
    );
  }
  return value;
}

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[\s_.-]/g, '');
}

/** The state of one serialize call: the byte count and the chain of objects being visited. */
class SerializeRun {
  private bytes = 0;
  private truncated = false;
  private readonly ancestors: object[] = [];
  private readonly path: string[] = [];

  constructor(private readonly options: ResolvedOptions) {}

  run(value: unknown): SerializeResult {
    const serialized = this.value(value, 0);
    return { value: serialized, bytes: this.bytes, truncated: this.truncated };
  }

  private get outOfBytes(): boolean {
    return this.bytes >= this.options.maxBytes;
  }

  private charge(bytes: number): void {
    this.bytes += bytes;
  }

  private cut(reason: 'depth' | 'bytes', className?: string): SerializedValue {
    this.truncated = true;
    this.charge(32);
    return className === undefined
      ? { $: 'truncated', reason }
      : { $: 'truncated', reason, className };
  }

  private value(value: unknown, depth: number): SerializedValue {
    if (this.outOfBytes) return this.cut('bytes');

    try {
      return this.valueUnguarded(value, depth);
    } catch (error) {
      // A built-in can still throw on an exotic value, such as a detached buffer.
      this.charge(32);
      return { $: 'unreadable', reason: describeError(error) };
    }
  }

  private valueUnguarded(value: unknown, depth: number): SerializedValue {
    switch (typeof value) {
      case 'string':
        return this.string(value);
      case 'number':
        return this.number(value);
      case 'boolean':
        this.charge(value ? 4 : 5);
        return value;
      case 'undefined':
        this.charge(16);
        return UNDEFINED;
      case 'bigint':
        return this.bigint(value);
      case 'symbol': {
        const description = symbolDescription.call(value);
        const text = typeof description === 'string' ? this.cutText(description) : '';
        this.charge(text.length + 30);
        return { $: 'symbol', description: text };
      }
      case 'function':
        if (types.isProxy(value)) return this.opaque('Proxy');
        return this.function(value as (...args: unknown[]) => unknown);
      default:
        if (value === null) {
          this.charge(4);
          return null;
        }
        return this.object(value as object, depth);
    }
  }

  private string(value: string): SerializedValue {
    const limit = this.textLimit();
    if (value.length <= limit) {
      this.charge(value.length + 2);
      return value;
    }

    this.truncated = true;
    const preview = value.slice(0, limit);
    this.charge(preview.length + 40);
    return { $: 'string', preview, length: value.length };
  }

  private cutText(text: string): string {
    const limit = this.textLimit();
    if (text.length <= limit) return text;

    this.truncated = true;
    return `${text.slice(0, limit)}…`;
  }

  /** Cuts `text` like {@link cutText} and charges what was kept against the byte budget. */
  private chargedText(text: string): string {
    const kept = this.cutText(text);
    this.charge(kept.length);
    return kept;
  }

  /** Characters a string may keep: `maxStringLength`, or fewer when the byte budget is nearly spent. */
  private textLimit(): number {
    return Math.max(0, Math.min(this.options.maxStringLength, this.options.maxBytes - this.bytes));
  }

  private bigint(value: bigint): SerializedValue {
    // Decimal conversion costs more than linear time in the digit count, so a bigint too long
    // to keep is cut before it is converted. `asIntN` costs time linear in the bits kept only.
    const maxDigits = Math.min(this.textLimit(), MAX_BIGINT_DIGITS);
    const maxBits = Math.floor(maxDigits * Math.log2(10));
    if (BigInt.asIntN(maxBits, value) !== value) return this.cut('bytes', 'BigInt');

    const text = String(value);
    if (text.length > maxDigits) return this.cut('bytes', 'BigInt');

    this.charge(text.length + 24);
    return { $: 'bigint', value: text };
  }

  private number(value: number): SerializedValue {
    if (Number.isFinite(value) && !Object.is(value, -0)) {
      this.charge(String(value).length);
      return value;
    }

    this.charge(30);
    if (Number.isNaN(value)) return { $: 'number', value: 'NaN' };
    if (value === Number.POSITIVE_INFINITY) return { $: 'number', value: 'Infinity' };
    if (value === Number.NEGATIVE_INFINITY) return { $: 'number', value: '-Infinity' };
    return { $: 'number', value: '-0' };
  }

  private function(value: (...args: unknown[]) => unknown): SerializedValue {
    const name = getOwnPropertyDescriptor(value, 'name')?.value;
    const text = typeof name === 'string' ? this.cutText(name) : '';
    this.charge(text.length + 30);
    return { $: 'function', name: text };
  }

  private opaque(className: string): SerializedValue {
    this.charge(className.length + 30);
    return { $: 'opaque', className };
  }

  private object(value: object, depth: number): SerializedValue {
    // A Proxy's traps are app code, and a revoked one throws on every operation.
    if (types.isProxy(value)) return this.opaque('Proxy');

    const ancestorIndex = this.ancestors.indexOf(value);
    if (ancestorIndex !== -1) {
      const path = `$${this.path.slice(0, ancestorIndex).join('')}`;
      this.charge(path.length + 30);
      return { $: 'circular', path };
    }

    const leaf = this.leafObject(value);
    if (leaf !== undefined) return leaf;

    const className = readClassName(value);
    if (depth >= this.options.maxDepth) {
      return this.cut('depth', className ?? (isArray(value) ? 'Array' : 'Object'));
    }

    this.ancestors.push(value);
    try {
      if (types.isNativeError(value) || inheritsFrom(value, Error.prototype)) {
        return this.error(value as Error, className, depth);
      }
      if (isArray(value)) return this.array(value, depth);
      if (types.isMap(value)) return this.map(value as Map<unknown, unknown>, depth);
      if (types.isSet(value)) return this.set(value as Set<unknown>, depth);
      return this.plainObject(value, className, depth);
    } finally {
      this.ancestors.pop();
    }
  }

  /** Serializes objects that hold no nested app values; returns undefined for the others. */
  private leafObject(value: object): SerializedValue | undefined {
    if (types.isDate(value)) {
      const time = dateGetTime.call(value);
      const iso = Number.isNaN(time) ? null : dateToISOString.call(value);
      this.charge(40);
      return { $: 'date', iso };
    }

    if (types.isRegExp(value)) {
      const source = this.cutText(String(regexpSource.call(value)));
      const flags = String(regexpFlags.call(value));
      this.charge(source.length + flags.length + 40);
      return { $: 'regexp', source, flags };
    }

    if (types.isWeakMap(value)) return this.opaque('WeakMap');
    if (types.isWeakSet(value)) return this.opaque('WeakSet');
    if (types.isPromise(value)) return this.opaque('Promise');

    if (types.isAnyArrayBuffer(value) || types.isArrayBufferView(value)) return this.binary(value);
    return undefined;
  }

  private binary(value: object): SerializedValue {
    let buffer: ArrayBufferLike;
    let byteOffset = 0;
    let byteLength: number;

    if (types.isTypedArray(value)) {
      buffer = typedArrayBuffer.call(value) as ArrayBufferLike;
      byteOffset = typedArrayByteOffset.call(value) as number;
      byteLength = typedArrayByteLength.call(value) as number;
    } else if (types.isDataView(value)) {
      buffer = dataViewBuffer.call(value) as ArrayBufferLike;
      byteOffset = dataViewByteOffset.call(value) as number;
      byteLength = dataViewByteLength.call(value) as number;
    } else if (types.isSharedArrayBuffer(value) && sharedArrayBufferByteLength !== undefined) {
      buffer = value as ArrayBufferLike;
      byteLength = sharedArrayBufferByteLength.call(value) as number;
    } else {
      buffer = value as ArrayBufferLike;
      byteLength = arrayBufferByteLength.call(value) as number;
    }

    const previewLength = Math.min(byteLength, this.options.maxBinaryPreviewBytes);
    if (previewLength < byteLength) this.truncated = true;

    const preview = toHex(new Uint8Array(buffer, byteOffset, previewLength));
    const className = readClassName(value) ?? 'ArrayBuffer';
    this.charge(preview.length + className.length + 60);
    return { $: 'bytes', className, byteLength, preview };
  }

  private array(value: readonly unknown[], depth: number): SerializedValue {
    const length = value.length;
    const limit = Math.min(length, this.options.maxItems);
    const items: SerializedValue[] = [];
    this.charge(40);

    for (let index = 0; index < limit; index++) {
      if (this.outOfBytes) break;

      this.path.push(`[${index}]`);
      const descriptor = getOwnPropertyDescriptor(value, index);
      // A hole reads as undefined, as it does in the app.
      items.push(this.property(descriptor, depth));
      this.path.pop();
      this.charge(1);
    }

    if (items.length < length) this.truncated = true;
    return { $: 'array', items, length };
  }

  private map(value: Map<unknown, unknown>, depth: number): SerializedValue {
    const size = mapSize.call(value) as number;
    const entries: [SerializedValue, SerializedValue][] = [];
    const iterator = mapEntries.call(value);
    this.charge(40);

    while (entries.length < this.options.maxItems && !this.outOfBytes) {
      const step = mapIteratorNext.call(iterator);
      if (step.done === true) break;

      const [key, entryValue] = step.value;
      const index = entries.length;
      this.path.push(`[entry ${index}].key`);
      const serializedKey = this.value(key, depth + 1);
      this.path.pop();

      this.path.push(`[entry ${index}].value`);
      const serializedValue =
        typeof key === 'string' && this.isRedacted(key)
          ? this.redacted()
          : this.value(entryValue, depth + 1);
      this.path.pop();

      entries.push([serializedKey, serializedValue]);
      this.charge(4);
    }

    if (entries.length < size) this.truncated = true;
    return { $: 'map', entries, size };
  }

  private set(value: Set<unknown>, depth: number): SerializedValue {
    const size = setSize.call(value) as number;
    const items: SerializedValue[] = [];
    const iterator = setValues.call(value);
    this.charge(40);

    while (items.length < this.options.maxItems && !this.outOfBytes) {
      const step = setIteratorNext.call(iterator);
      if (step.done === true) break;

      this.path.push(`[item ${items.length}]`);
      items.push(this.value(step.value, depth + 1));
      this.path.pop();
      this.charge(1);
    }

    if (items.length < size) this.truncated = true;
    return { $: 'set', items, size };
  }

  private plainObject(
    value: object,
    className: string | undefined,
    depth: number,
  ): SerializedValue {
    // NOTE: V8 has no lazy key enumeration, so listing the keys of an object with millions of
    // them costs O(keys) even though only `maxItems` of them are serialized.
    const keys = objectKeys(value);
    const entries = this.properties(value, keys, depth);
    if (Object.keys(entries).length < keys.length) this.truncated = true;

    this.charge((className?.length ?? 0) + 40);
    return className === undefined
      ? { $: 'object', entries, size: keys.length }
      : { $: 'object', className, entries, size: keys.length };
  }

  private properties(
    value: object,
    keys: readonly string[],
    depth: number,
  ): Record<string, SerializedValue> {
    // A null prototype keeps a key named `__proto__` an ordinary entry.
    const entries: Record<string, SerializedValue> = Object.create(null);
    const limit = Math.min(keys.length, this.options.maxItems);

    for (let index = 0; index < limit; index++) {
      if (this.outOfBytes) break;

      const key = keys[index]!;
      // A key counts against the caps like a string value, so a huge key cannot blow the preview.
      const keptKey = this.cutText(key);
      this.charge(keptKey.length + 4);
      this.path.push(keySegment(keptKey));
      entries[keptKey] = this.isRedacted(key)
        ? this.redacted()
        : this.property(getOwnPropertyDescriptor(value, key), depth);
      this.path.pop();
    }

    return entries;
  }

  private property(descriptor: PropertyDescriptor | undefined, depth: number): SerializedValue {
    if (descriptor === undefined) {
      this.charge(16);
      return UNDEFINED;
    }
    if (descriptor.get !== undefined || descriptor.set !== undefined) {
      this.charge(36);
      return GETTER;
    }
    return this.value(descriptor.value, depth + 1);
  }

  private error(value: Error, className: string | undefined, depth: number): SerializedValue {
    const resolvedClass = className ?? 'Error';
    const name = readDataProperty(value, 'name');
    const message = getOwnPropertyDescriptor(value, 'message')?.value;
    const stack = readStack(value);

    const result: {
      $: 'error';
      className: string;
      name: string;
      message: string;
      stack: string | undefined;
      cause?: SerializedValue;
      props?: Record<string, SerializedValue>;
    } = {
      $: 'error',
      className: resolvedClass,
      name: typeof name === 'string' ? this.chargedText(name) : resolvedClass,
      message: typeof message === 'string' ? this.chargedText(message) : '',
      stack: typeof stack === 'string' ? this.chargedText(stack) : undefined,
    };
    this.charge(result.className.length + 80);

    const causeDescriptor = getOwnPropertyDescriptor(value, 'cause');
    if (causeDescriptor !== undefined) {
      this.path.push('.cause');
      result.cause = this.property(causeDescriptor, depth);
      this.path.pop();
    }

    const keys = objectKeys(value).filter(
      (key) => key !== 'message' && key !== 'stack' && key !== 'cause' && key !== 'name',
    );
    // AggregateError keeps its list in a non-enumerable own `errors` property.
    const errorsDescriptor = getOwnPropertyDescriptor(value, 'errors');
    if (errorsDescriptor !== undefined && !errorsDescriptor.enumerable) keys.push('errors');
    if (keys.length > 0) {
      const props = this.properties(value, keys, depth);
      if (Object.keys(props).length < keys.length) this.truncated = true;
      result.props = props;
    }

    return result;
  }

  private isRedacted(key: string): boolean {
    if (key.length > MAX_CACHED_KEY_LENGTH) return this.matchesRedaction(key);

    const cache = this.options.redactedKeys;
    let redacted = cache.get(key);
    if (redacted === undefined) {
      redacted = this.matchesRedaction(key);
      if (cache.size >= MAX_CACHED_KEYS) cache.clear();
      cache.set(key, redacted);
    }
    return redacted;
  }

  private matchesRedaction(key: string): boolean {
    const { redactSubstrings, redactExpressions } = this.options;
    if (redactSubstrings.length > 0) {
      const normalized = normalizeKey(key);
      for (const pattern of redactSubstrings) {
        if (normalized.includes(pattern)) return true;
      }
    }
    for (const expression of redactExpressions) {
      if (expression.test(key)) return true;
    }
    return false;
  }

  private redacted(): SerializedValue {
    this.charge(16);
    return REDACTED;
  }
}

/** Returns the path segment of an object key: `.name`, or `["odd key"]` for other keys. */
function keySegment(key: string): string {
  const cached = keySegments.get(key);
  if (cached !== undefined) return cached;

  const segment = IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  if (key.length <= MAX_CACHED_KEY_LENGTH) {
    if (keySegments.size >= MAX_CACHED_KEYS) keySegments.clear();
    keySegments.set(key, segment);
  }
  return segment;
}

/**
 * Returns the constructor name found on the prototype chain, reading data properties only, or
 * undefined for plain and null-prototype objects.
 */
function readClassName(value: object): string | undefined {
  const prototype = getPrototypeOf(value) as object | null;
  if (prototype === null || prototype === Object.prototype) return undefined;

  const classConstructor = readDataProperty(value, 'constructor');
  if (typeof classConstructor !== 'function' || types.isProxy(classConstructor)) return 'Object';

  const name = getOwnPropertyDescriptor(classConstructor, 'name')?.value;
  if (typeof name !== 'string' || name === '') return 'anonymous class';
  return name === 'Object' ? undefined : name;
}

const MAX_PROTOTYPE_HOPS = 32;

/**
 * Looks `key` up along the prototype chain like a property read, but returns undefined instead
 * of invoking a getter or entering a Proxy.
 */
function readDataProperty(value: object, key: string): unknown {
  let current: object | null = value;
  for (let hop = 0; current !== null && hop < MAX_PROTOTYPE_HOPS; hop++) {
    if (types.isProxy(current)) return undefined;

    const descriptor = getOwnPropertyDescriptor(current, key);
    if (descriptor !== undefined) return 'value' in descriptor ? descriptor.value : undefined;
    current = getPrototypeOf(current) as object | null;
  }
  return undefined;
}

/**
 * Reads an error's own `stack` without running app code, or returns undefined. V8 formats a stack
 * on its first read and reads `name` and `message` through ordinary property access then. That
 * would run an accessor or a Proxy trap on the error or its prototypes, so the stack is skipped
 * when either of them is not a plain data property.
 *
 * NOTE: a function in `Error.prepareStackTrace` still runs on that first read, as it does for
 * every logger that prints the stack; it is the app's own formatting hook.
 */
function readStack(value: Error): string | undefined {
  if (!isDataPropertyChain(value, 'name') || !isDataPropertyChain(value, 'message')) {
    return undefined;
  }
  try {
    const stack = getOwnPropertyDescriptor(value, 'stack')?.value;
    return typeof stack === 'string' ? stack : undefined;
  } catch {
    // A throwing Error.prepareStackTrace lands here.
    return undefined;
  }
}

/** Checks that reading `key` from `value` finds a data property or nothing, and passes no Proxy. */
function isDataPropertyChain(value: object, key: string): boolean {
  let current: object | null = value;
  for (let hop = 0; current !== null; hop++) {
    if (hop >= MAX_PROTOTYPE_HOPS || types.isProxy(current)) return false;

    const descriptor = getOwnPropertyDescriptor(current, key);
    if (descriptor !== undefined) return 'value' in descriptor;
    current = getPrototypeOf(current) as object | null;
  }
  return true;
}

/** `instanceof` without calling `Symbol.hasInstance` or a Proxy's `getPrototypeOf` trap. */
function inheritsFrom(value: object, prototype: object): boolean {
  let current = getPrototypeOf(value) as object | null;
  for (let hop = 0; current !== null && hop < MAX_PROTOTYPE_HOPS; hop++) {
    if (current === prototype) return true;
    if (types.isProxy(current)) return false;
    current = getPrototypeOf(current) as object | null;
  }
  return false;
}

const HEX_DIGITS = '0123456789abcdef';

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index]!;
    hex += HEX_DIGITS[byte >> 4]! + HEX_DIGITS[byte & 15]!;
  }
  return hex;
}

function describeError(error: unknown): string {
  if (types.isNativeError(error)) {
    const message = getOwnPropertyDescriptor(error, 'message')?.value;
    if (typeof message === 'string') return message.slice(0, 200);
  }
  return 'the value could not be read';
}

export { DeserializeError, deserialize } from './deserialize.js';
