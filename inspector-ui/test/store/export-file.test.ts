import { describe, expect, it } from 'vitest';
import { parseExport } from '../../src/store/export-file.js';
import { createInspectorStore } from '../../src/store/store.js';
import { checkoutStream, exportNdjson } from '../fixtures/stream.js';

describe('parseExport', () => {
  it('reads the header and events', () => {
    const { snapshot, messages } = checkoutStream();
    const parsed = parseExport(exportNdjson(snapshot, messages));

    expect(parsed.header.app.name).toBe('checkout-service');
    expect(parsed.events[0]?.seq).toBe(1);
    expect(
      parsed.events.every((event, index, all) => index === 0 || event.seq > all[index - 1]!.seq),
    ).toBe(true);
  });

  it('names the line that is not JSON', () => {
    const { snapshot, messages } = checkoutStream();
    const text = `${exportNdjson(snapshot, messages)}\n{broken`;

    expect(() => parseExport(text)).toThrow(/line \d+ is not valid JSON/);
  });

  it('rejects another protocol version', () => {
    const text = JSON.stringify({ type: 'sigscope-export', protocolVersion: 99 });

    expect(() => parseExport(text)).toThrow(/protocol version 99/);
  });

  it('rejects an empty file', () => {
    expect(() => parseExport('\n\n')).toThrow(/empty/);
  });
});

describe('importRecording', () => {
  it('rebuilds the state offline', () => {
    const { snapshot, messages } = checkoutStream();
    const store = createInspectorStore();
    store.getState().importRecording(exportNdjson(snapshot, messages), 'checkout.ndjson');
    const { data } = store.getState();

    expect(data.connection).toMatchObject({ status: 'imported', detail: 'checkout.ndjson' });
    expect(data.graph.signals.size).toBe(3);
    expect(data.patterns.breakers.get(1)?.history).toHaveLength(2);
    expect(store.getState().sendCommand).toBeUndefined();
  });
});
