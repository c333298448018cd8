/** Helpers over the agent's {@link SerializedValue} tags. */
import type { SerializedTagged, SerializedValue } from '@sigscope/inspector-agent/protocol';

export function isTagged(value: SerializedValue): value is SerializedTagged {
  return typeof value === 'object' && value !== null;
}

/**
 * Renders a value as one line of JavaScript-like text for rows and search, cut at `maxLength`
 * characters with an ellipsis.
 */
export function summarize(value: SerializedValue | undefined, maxLength = 200): string {
  if (value === undefined) return '';
  const text = render(value, 0);
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

function render(value: SerializedValue, depth: number): string {
  if (!isTagged(value)) return typeof value === 'string' ? JSON.stringify(value) : String(value);
  if (depth > 6) return '…';

  switch (value.$) {
    case 'undefined':
      return 'undefined';
    case 'number':
      return value.value;
    case 'bigint':
      return `${value.value}n`;
    case 'symbol':
      return `Symbol(${value.description})`;
    case 'function':
      return `ƒ ${value.name || 'anonymous'}()`;
    case 'string':
      return `${JSON.stringify(value.preview)}… (${value.length} chars)`;
    case 'date':
      return value.iso ?? 'Invalid Date';
    case 'regexp':
      return `/${value.source}/${value.flags}`;
    case 'error':
      return `${value.name}: ${value.message}`;
    case 'array': {
      const items = value.items.map((item) => render(item, depth + 1));
      if (value.length > value.items.length)
        items.push(`… ${value.length - value.items.length} more`);
      return `[${items.join(', ')}]`;
    }
    case 'object': {
      const entries = Object.entries(value.entries).map(
        ([key, item]) => `${key}: ${render(item, depth + 1)}`,
      );
      const shown = entries.length;
      if (value.size > shown) entries.push(`… ${value.size - shown} more`);
      return `${value.className ? `${value.className} ` : ''}{${entries.join(', ')}}`;
    }
    case 'map': {
      const entries = value.entries.map(
        ([key, item]) => `${render(key, depth + 1)} => ${render(item, depth + 1)}`,
      );
      return `Map(${value.size}) {${entries.join(', ')}}`;
    }
    case 'set':
      return `Set(${value.size}) {${value.items.map((item) => render(item, depth + 1)).join(', ')}}`;
    case 'bytes':
      return `${value.className}(${value.byteLength}) <${value.preview}>`;
    case 'circular':
      return `[Circular ${value.path}]`;
    case 'truncated':
      return `[Truncated: ${value.reason}]`;
    case 'redacted':
      return '[Redacted]';
    case 'opaque':
      return `[${value.className}]`;
    case 'unreadable':
      return `[Unreadable: ${value.reason}]`;
    default:
      return unknownTag(value);
  }
}

/** Renders a tag this inspector does not know, as a newer agent may send. */
function unknownTag(value: never): string {
  return `[${String((value as { $: unknown }).$)}]`;
}

export type PlainJsonResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: string };

/**
 * Converts a serialized value back to plain JSON, for editing a payload before replay. Fails
 * when the value contains anything JSON cannot carry or the serializer cut or hid, because
 * replaying a guessed value would silently differ from the recorded one.
 */
export function toPlainJson(value: SerializedValue): PlainJsonResult {
  if (!isTagged(value)) return { ok: true, value };

  switch (value.$) {
    case 'array': {
      if (value.length > value.items.length) return { ok: false, reason: 'the array was cut' };
      const items: unknown[] = [];
      for (const item of value.items) {
        const result = toPlainJson(item);
        if (!result.ok) return result;
        items.push(result.value);
      }
      return { ok: true, value: items };
    }
    case 'object': {
      if (value.className) {
        return { ok: false, reason: `it contains a ${value.className} instance` };
      }
      const entries = Object.entries(value.entries);
      if (value.size > entries.length) return { ok: false, reason: 'the object was cut' };
      const plain: Record<string, unknown> = {};
      for (const [key, item] of entries) {
        const result = toPlainJson(item);
        if (!result.ok) return result;
        plain[key] = result.value;
      }
      return { ok: true, value: plain };
    }
    default:
      return { ok: false, reason: `it contains a ${value.$} value, which JSON cannot carry` };
  }
}
