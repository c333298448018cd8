import { describe, expect, it } from 'vitest';
import {
  BUFFERED_EVENT_OVERHEAD_BYTES,
  type BufferedEvent,
  RingBuffer,
  type SharedJson,
} from '../src/ring-buffer.js';

function entry(seq: number, bytes = 10): BufferedEvent {
  return { seq, json: '', bytes, handles: undefined };
}

describe('RingBuffer', () => {
  it('evicts the oldest beyond maxCount', () => {
    const buffer = new RingBuffer(3, 1000);

    const evicted = [1, 2, 3, 4, 5].flatMap((seq) => buffer.push(entry(seq)));

    expect(evicted.map((item) => item.seq)).toEqual([1, 2]);
    expect(buffer.firstSeq).toBe(3);
    expect(buffer.lastSeq).toBe(5);
    expect(buffer.count).toBe(3);
  });

  it('evicts the oldest beyond maxBytes', () => {
    const buffer = new RingBuffer(100, 25);

    for (const seq of [1, 2, 3]) buffer.push(entry(seq));

    expect(buffer.count).toBe(2);
    expect(buffer.bytes).toBe(20);
  });

  it('drops an entry larger than maxBytes', () => {
    const buffer = new RingBuffer(100, 25);
    buffer.push(entry(1));

    const evicted = buffer.push(entry(2, 50));

    expect(evicted.map((item) => item.seq)).toEqual([1, 2]);
    expect(buffer.count).toBe(0);
    expect(buffer.bytes).toBe(0);
  });

  it('counts a shared source once while sliced', () => {
    const buffer = new RingBuffer(100, 10_000);
    const source: SharedJson = { bytes: 1000, live: 0 };

    for (const seq of [1, 2, 3]) buffer.push({ ...entry(seq), source });

    expect(buffer.bytes).toBe(1000 + 3 * BUFFERED_EVENT_OVERHEAD_BYTES);
    expect(buffer.sources).toBe(1);
    expect(source.live).toBe(3);
  });

  it('releases a source with its last entry', () => {
    const buffer = new RingBuffer(2, 10_000);
    const first: SharedJson = { bytes: 1000, live: 0 };
    const second: SharedJson = { bytes: 500, live: 0 };

    buffer.push({ ...entry(1), source: first });
    buffer.push({ ...entry(2), source: first });
    buffer.push({ ...entry(3), source: second });
    expect(buffer.sources).toBe(2);
    buffer.push({ ...entry(4), source: second });

    expect(first.live).toBe(0);
    expect(buffer.sources).toBe(1);
    expect(buffer.bytes).toBe(500 + 2 * BUFFERED_EVENT_OVERHEAD_BYTES);
  });

  it('evicts a whole source beyond maxBytes', () => {
    const buffer = new RingBuffer(100, 1500);
    const first: SharedJson = { bytes: 1000, live: 0 };
    const second: SharedJson = { bytes: 400, live: 0 };

    buffer.push({ ...entry(1), source: first });
    buffer.push({ ...entry(2), source: first });
    const evicted = buffer.push({ ...entry(3), source: second });

    expect(evicted.map((item) => item.seq)).toEqual([1, 2]);
    expect(buffer.bytes).toBe(400 + BUFFERED_EVENT_OVERHEAD_BYTES);
  });

  it('clear releases sources', () => {
    const buffer = new RingBuffer(100, 10_000);
    const source: SharedJson = { bytes: 1000, live: 0 };
    buffer.push({ ...entry(1), source });

    buffer.clear();

    expect(source.live).toBe(0);
    expect(buffer.sources).toBe(0);
    expect(buffer.bytes).toBe(0);
  });

  it('finds entries across holes', () => {
    const buffer = new RingBuffer(100, 1000);
    for (const seq of [1, 2, 5, 6]) buffer.push(entry(seq));

    expect(buffer.find(5)?.seq).toBe(5);
    expect(buffer.find(3)).toBeUndefined();
    expect(buffer.after(2).map((item) => item.seq)).toEqual([5, 6]);
  });

  it('keeps order after many evictions', () => {
    const buffer = new RingBuffer(10, 1_000_000);

    for (let seq = 1; seq <= 5000; seq++) buffer.push(entry(seq));

    expect(buffer.after(0).map((item) => item.seq)).toEqual(
      Array.from({ length: 10 }, (_, index) => 4991 + index),
    );
    expect(buffer.find(4995)?.seq).toBe(4995);
  });
});
