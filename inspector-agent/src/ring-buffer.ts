/**
 * A string that several buffered events slice their `json` from. V8 keeps the whole string in
 * memory while any slice of it is alive, so the ring buffer counts all of `bytes` until its last
 * event leaves.
 */
export interface SharedJson {
  /** Memory the string takes: its length, or twice that when it contains non-ASCII characters. */
  readonly bytes: number;
  /** Buffered events that slice this string; the ring buffer maintains it. */
  live: number;
}

/** One recorded event, encoded for the wire. */
export interface BufferedEvent {
  readonly seq: number;
  /** The {@link RecordedEvent} as JSON. */
  readonly json: string;
  /** UTF-8 length of `json`. */
  readonly bytes: number;
  /** Handles of full captures that belong to this event, freed when it leaves the buffer. */
  readonly handles: readonly string[] | undefined;
  /** The string `json` is a slice of, counted instead of `bytes`; undefined when `json` is its own string. */
  readonly source?: SharedJson;
}

/**
 * Heap bytes one buffered event takes besides its JSON: the entry object (56), the sliced
 * string (32) and its slot in the entries array, which holds up to twice as many slots as
 * events between compactions (16). From a heap snapshot on Node 20, x64, without pointer
 * compression.
 */
export const BUFFERED_EVENT_OVERHEAD_BYTES = 104;

const COMPACT_AFTER = 1024;

/**
 * Recent events in sequence order, bounded by count and by bytes: pushing past either bound
 * evicts the oldest, down to and including the new event itself when it alone exceeds `maxBytes`.
 *
 * An entry without a `source` counts its `bytes`. An entry with one counts
 * {@link BUFFERED_EVENT_OVERHEAD_BYTES}, and its source counts once while any of its entries is
 * buffered, so `bytes` follows the memory held: evicting by bytes frees whole source strings.
 */
export class RingBuffer {
  // Slots before `head` are evicted and hold undefined, so they keep no event or source alive.
  private entries: (BufferedEvent | undefined)[] = [];
  private head = 0;
  private totalBytes = 0;
  private liveSources = 0;

  constructor(
    readonly maxCount: number,
    readonly maxBytes: number,
  ) {}

  get count(): number {
    return this.entries.length - this.head;
  }

  /** Bytes counted for the buffered entries and their live sources; at most `maxBytes`. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** Source strings that buffered entries still slice. */
  get sources(): number {
    return this.liveSources;
  }

  /** The oldest buffered sequence number, or 0 when empty. */
  get firstSeq(): number {
    return this.entries[this.head]?.seq ?? 0;
  }

  /** The newest buffered sequence number, or 0 when empty. */
  get lastSeq(): number {
    return this.count === 0 ? 0 : this.entries[this.entries.length - 1]!.seq;
  }

  /** Appends `entry` and returns the entries evicted to stay within both bounds. */
  push(entry: BufferedEvent): BufferedEvent[] {
    const evicted: BufferedEvent[] = [];
    this.append(entry, (oldest) => evicted.push(oldest));
    return evicted;
  }

  /**
   * Appends `entry` and calls `onEvicted` for each entry evicted to stay within both bounds, so
   * a caller that appends many entries allocates no array per entry.
   */
  append(entry: BufferedEvent, onEvicted: (evicted: BufferedEvent) => void): void {
    this.entries.push(entry);
    this.hold(entry);

    while (this.count > 0 && (this.count > this.maxCount || this.totalBytes > this.maxBytes)) {
      const oldest = this.entries[this.head]!;
      this.entries[this.head] = undefined;
      this.head++;
      this.release(oldest);
      onEvicted(oldest);
    }
    this.compact();
  }

  private hold(entry: BufferedEvent): void {
    const { source } = entry;
    if (source === undefined) {
      this.totalBytes += entry.bytes;
      return;
    }

    this.totalBytes += BUFFERED_EVENT_OVERHEAD_BYTES;
    if (source.live++ === 0) {
      this.totalBytes += source.bytes;
      this.liveSources++;
    }
  }

  private release(entry: BufferedEvent): void {
    const { source } = entry;
    if (source === undefined) {
      this.totalBytes -= entry.bytes;
      return;
    }

    this.totalBytes -= BUFFERED_EVENT_OVERHEAD_BYTES;
    if (--source.live === 0) {
      this.totalBytes -= source.bytes;
      this.liveSources--;
    }
  }

  /** Returns the buffered entry with `seq`, or undefined. */
  find(seq: number): BufferedEvent | undefined {
    const index = this.indexAfter(seq - 1);
    const entry = this.entries[index];
    return entry?.seq === seq ? entry : undefined;
  }

  /** Returns the buffered entries with a sequence number above `seq`, oldest first. */
  after(seq: number): BufferedEvent[] {
    return this.entries.slice(this.indexAfter(seq)) as BufferedEvent[];
  }

  clear(): BufferedEvent[] {
    const removed = this.entries.slice(this.head) as BufferedEvent[];
    for (const entry of removed) this.release(entry);
    this.entries = [];
    this.head = 0;
    return removed;
  }

  // Binary search: the index of the first entry whose seq is above `seq`.
  private indexAfter(seq: number): number {
    let low = this.head;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.entries[middle]!.seq <= seq) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  // Evicting advances `head`; dropping the dead prefix now and then keeps push amortized O(1).
  private compact(): void {
    if (this.head < COMPACT_AFTER || this.head < this.entries.length / 2) return;

    this.entries = this.entries.slice(this.head);
    this.head = 0;
  }
}
