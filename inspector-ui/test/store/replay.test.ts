import { describe, expect, it } from 'vitest';
import { createInspectorState, ingestMessage } from '../../src/store/ingest.js';
import {
  buildReplay,
  checkPayloadText,
  editableText,
  exportNdjsonOf,
} from '../../src/store/replay.js';
import { toPlainJson } from '../../src/store/serialized.js';
import { checkoutStream } from '../fixtures/stream.js';

const state = checkoutStream().messages.reduce(ingestMessage, createInspectorState());
const chainEmit = state.emits.byId.get(102)!;
const redactedEmit = state.emits.byId.get(101)!;

describe('checkPayloadText', () => {
  it('accepts JSON', () => {
    expect(checkPayloadText('{"a": [1, null]}')).toEqual({ ok: true, value: { a: [1, null] } });
  });

  it('rejects invalid JSON with the parser message', () => {
    const check = checkPayloadText('{"a": ');

    expect(check.ok).toBe(false);
    expect(!check.ok && check.message).toMatch(/^Invalid JSON: /);
  });

  it('rejects empty text', () => {
    expect(checkPayloadText('  ').ok).toBe(false);
  });
});

describe('editableText', () => {
  it('prefills plain payloads as JSON', () => {
    expect(JSON.parse(editableText(chainEmit).text)).toEqual({ sku: 'SKU-9', qty: 3 });
  });

  it('refuses to guess a redacted payload', () => {
    expect(editableText(redactedEmit)).toEqual({
      text: '',
      reason: 'it contains a redacted value, which JSON cannot carry',
    });
  });
});

describe('buildReplay', () => {
  it('keeps pick order and edited payloads', () => {
    const result = buildReplay(
      [
        { emit: chainEmit, text: '{"sku":"X"}' },
        { emit: redactedEmit, text: undefined },
      ],
      true,
    );

    expect(result).toEqual({
      ok: true,
      command: {
        type: 'replay',
        items: [{ seq: chainEmit.seq, payload: { sku: 'X' } }, { seq: redactedEmit.seq }],
        keepTiming: true,
      },
    });
  });

  it('names the emit whose payload is invalid', () => {
    const result = buildReplay([{ emit: chainEmit, text: 'nope' }], false);

    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/^Emit #102: Invalid JSON/);
  });

  it('needs at least one emit', () => {
    expect(buildReplay([], false).ok).toBe(false);
  });
});

describe('exportNdjsonOf', () => {
  it('reads both ack shapes', () => {
    expect(exportNdjsonOf('a\nb')).toBe('a\nb');
    expect(exportNdjsonOf({ ndjson: 'a', events: 1 })).toBe('a');
  });

  it('throws on anything else', () => {
    expect(() => exportNdjsonOf(42)).toThrow(/missing its NDJSON/);
  });
});

describe('toPlainJson', () => {
  it('refuses cut arrays', () => {
    expect(toPlainJson({ $: 'array', items: [1], length: 3 })).toEqual({
      ok: false,
      reason: 'the array was cut',
    });
  });

  it('refuses class instances', () => {
    expect(toPlainJson({ $: 'object', className: 'Order', entries: {}, size: 0 }).ok).toBe(false);
  });
});
