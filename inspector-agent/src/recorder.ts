import { type SnapshotEvent, type TraceEvent, traceChannel } from '@sigscope/core';
import type { AgentLog } from './logger.js';
import type { ResolvedOptions } from './options.js';
import type {
  CapturedValue,
  ExportHeader,
  HelloMessage,
  RecordedEvent,
  SerializedValue,
  SnapshotMessage,
  WireTraceEvent,
} from './protocol.js';
import { PROTOCOL_VERSION } from './protocol.js';
import { type BufferedEvent, RingBuffer, type SharedJson } from './ring-buffer.js';
import { createSerializer, type SerializeResult, type Serializer } from './serialize.js';
import { encodeRecordedEvent, encodesAscii } from './wire-encode.js';

/** A range of sequence numbers that was assigned but never recorded. */
export interface SeqRange {
  readonly fromSeq: number;
  readonly toSeq: number;
}

/** The events one {@link Recorder.flush} moved into the ring buffer, for broadcasting. */
export interface FlushedBatch {
  readonly entries: readonly BufferedEvent[];
  /** The JSON of `entries` joined by commas: the body of the batch's `events` array. */
  readonly eventsJson: string;
  /** Events dropped because the pending queue was full; all of them come after `entries`. */
  readonly dropped: readonly SeqRange[];
}

/** A full capture kept behind a handle. */
export interface StoredCapture {
  readonly value: SerializedValue;
  readonly bytes: number;
  readonly truncated: boolean;
}

// Trace event fields that hold the app's own values and go through the serializer.
const CAPTURED_FIELDS = new Set(['payload', 'error', 'data']);
const EMPTY_BATCH: FlushedBatch = { entries: [], eventsJson: '', dropped: [] };
/**
 * Estimated bytes one queued event takes besides its captured values: the wire copy, its fields
 * and the queue slots. An estimate for the `maxPendingBytes` bound, not a measurement.
 */
const PENDING_EVENT_OVERHEAD_BYTES = 200;

/**
 * The newest sequence number any recorder in this process assigned. A recorder started after
 * another one (the app stopped the agent and started it again) continues from it, so a client
 * that resumes with its `lastSeq` gets a gap and then the new events, never reused numbers.
 */
let processLastSeq = 0;

/**
 * Records trace events: captures each one synchronously on the emit path, queues it, and moves
 * the queue into a ring buffer as JSON when {@link flush} runs off the emit path.
 */
export class Recorder {
  private readonly ring: RingBuffer;
  private readonly store: CaptureStore;
  private readonly previewSerializer: Serializer;
  private readonly fullSerializer: Serializer;
  // The pending queue as parallel arrays, so queuing an event allocates only its wire copy.
  private pendingSeqs: number[] = [];
  private pendingEvents: WireTraceEvent[] = [];
  private pendingHandles: (string[] | undefined)[] = [];
  private pendingBytes = 0;
  private pendingDropped: SeqRange[] = [];
  private flushRequested = false;
  // Set by captureEvent for the event being captured: its handles and estimated bytes.
  private eventHandles: string[] | undefined;
  private eventBytes = 0;
  private subscribed = false;
  private paused = false;
  private nextSeq: number;
  private clearedThroughSeq = 0;
  private readonly firstOwnSeq: number;
  private readonly copiedStringLength: number;

  /** Counters since start; `stats` messages report them. */
  readonly counters = {
    events: 0,
    emits: 0,
    evicted: 0,
    overflow: 0,
    captureErrors: 0,
  };

  /**
   * @param requestFlush called on the emit path once the pending queue is half full by count or
   *   by bytes, so the agent can flush before the batch timer. It must not flush synchronously.
   */
  constructor(
    private readonly options: ResolvedOptions,
    private readonly log: AgentLog,
    private readonly requestFlush?: () => void,
  ) {
    // A recorder that follows another in this process leaves one sequence number unused: it
    // stands for the events nobody recorded between the two, so a resuming client gets a gap.
    this.nextSeq = processLastSeq === 0 ? 1 : processLastSeq + 2;
    this.firstOwnSeq = this.nextSeq;
    this.ring = new RingBuffer(options.maxEvents, options.maxBytes);
    this.copiedStringLength = Math.max(options.maxStringLength, MIN_COPIED_STRING_LENGTH);
    this.store = new CaptureStore(options.maxCaptureStoreBytes);
    const shared = {
      maxDepth: options.maxDepth,
      maxBinaryPreviewBytes: options.maxBinaryPreviewBytes,
      redact: options.redact,
    };
    this.previewSerializer = createSerializer({
      ...shared,
      maxStringLength: options.maxStringLength,
      maxItems: options.maxItems,
      maxBytes: options.previewBytes,
    });
    // The full capture is bounded by bytes alone, so a long string or array survives whole.
    this.fullSerializer = createSerializer({
      ...shared,
      maxStringLength: options.fullCaptureBytes,
      maxItems: Number.POSITIVE_INFINITY,
      maxBytes: options.fullCaptureBytes,
    });
  }

  /** Whether events are being recorded: started and not paused. */
  get recording(): boolean {
    return this.subscribed && !this.paused;
  }

  /** The newest sequence number assigned, or the last one before this recorder's first. */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /**
   * The first sequence number this recorder assigns. Lower ones belong to earlier recorders in
   * this process, whose events this one does not have.
   */
  get firstSeq(): number {
    return this.firstOwnSeq;
  }

  get buffer(): RingBuffer {
    return this.ring;
  }

  /** Sequence numbers up to this one were cleared by {@link clear}. */
  get clearedThrough(): number {
    return this.clearedThroughSeq;
  }

  start(): void {
    if (this.subscribed) return;

    traceChannel.subscribe(this.onTraceEvent, { onError: this.onSubscriberError });
    this.subscribed = true;
  }

  stop(): void {
    if (!this.subscribed) return;

    traceChannel.unsubscribe(this.onTraceEvent);
    this.subscribed = false;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** Empties the ring buffer, the pending queue and the capture store; seq keeps counting. */
  clear(): void {
    this.takePending();
    this.ring.clear();
    this.store.clear();
    this.clearedThroughSeq = this.lastSeq;
  }

  /**
   * Receives every trace event, synchronously on the app's emit path: serializes the app values
   * in it now, because the app may mutate them right after, and leaves JSON encoding to
   * {@link flush}. Arrow function, so it stays one identity for unsubscribe.
   */
  private readonly onTraceEvent = (event: TraceEvent): void => {
    // Core sends a snapshot on subscribe; the agent takes fresh ones when a client subscribes.
    if (event.type === 'snapshot' || this.paused) return;

    const seq = this.nextSeq++;
    if (seq > processLastSeq) processLastSeq = seq;
    this.counters.events++;
    if (event.type === 'emit.started') this.counters.emits++;

    // Neither bound shrinks before the next flush, so every event after the first dropped one is
    // dropped too, and the dropped ranges all follow the queued events.
    const { maxPendingEvents, maxPendingBytes } = this.options;
    if (this.pendingSeqs.length >= maxPendingEvents || this.pendingBytes >= maxPendingBytes) {
      this.counters.overflow++;
      this.addDropped(seq);
      return;
    }

    this.eventHandles = undefined;
    this.eventBytes = PENDING_EVENT_OVERHEAD_BYTES;
    const wireEvent = this.captureEvent(seq, event);
    this.pendingSeqs.push(seq);
    this.pendingEvents.push(wireEvent);
    this.pendingHandles.push(this.eventHandles);
    this.pendingBytes += this.eventBytes;

    if (
      !this.flushRequested &&
      (this.pendingSeqs.length * 2 >= maxPendingEvents || this.pendingBytes * 2 >= maxPendingBytes)
    ) {
      this.flushRequested = true;
      this.requestFlush?.();
    }
  };

  private readonly onSubscriberError = (error: unknown): void => {
    this.counters.captureErrors++;
    this.log.warn(
      'SIGSCOPE_CAPTURE_FAILED',
      `inspector agent: capturing a trace event failed, later failures are only counted: ${String(error)}`,
    );
  };

  private addDropped(seq: number): void {
    const last = this.pendingDropped[this.pendingDropped.length - 1];
    if (last !== undefined && last.toSeq === seq - 1) {
      this.pendingDropped[this.pendingDropped.length - 1] = { fromSeq: last.fromSeq, toSeq: seq };
    } else {
      this.pendingDropped.push({ fromSeq: seq, toSeq: seq });
    }
  }

  /**
   * Copies the fields of one trace event into its wire form. The types every emit publishes get
   * a copy of their known fields, which are numbers apart from the signal name, mode and payload.
   * The other types go through the generic copy.
   */
  private captureEvent(seq: number, event: TraceEvent): WireTraceEvent {
    switch (event.type) {
      case 'listener.started':
        return {
          type: event.type,
          ts: event.ts,
          emitId: event.emitId,
          signalId: event.signalId,
          listenerId: event.listenerId,
          index: event.index,
        };
      case 'listener.finished':
        return {
          type: event.type,
          ts: event.ts,
          emitId: event.emitId,
          signalId: event.signalId,
          listenerId: event.listenerId,
          index: event.index,
          durationMs: event.durationMs,
        };
      case 'emit.finished':
        return {
          type: event.type,
          ts: event.ts,
          emitId: event.emitId,
          signalId: event.signalId,
          durationMs: event.durationMs,
          failures: event.failures,
        };
      case 'emit.started':
        return {
          type: event.type,
          ts: event.ts,
          emitId: event.emitId,
          parentEmitId: event.parentEmitId,
          signalId: event.signalId,
          signalName: copyPlain(event.signalName, this.copiedStringLength) as string,
          mode: event.mode,
          payload: this.captureField(event.payload, seq, 'payload'),
          listenerIds: event.listenerIds.slice(),
          replayOf: event.replayOf,
        };
      default:
        return this.copyEvent(seq, event);
    }
  }

  private copyEvent(seq: number, event: TraceEvent): WireTraceEvent {
    const wire: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(event)) {
      if (!CAPTURED_FIELDS.has(key)) {
        wire[key] = copyPlain(value, this.copiedStringLength);
      } else if (key === 'error' && value === undefined) {
        wire[key] = undefined;
      } else {
        wire[key] = this.captureField(value, seq, key);
      }
    }
    return wire as WireTraceEvent;
  }

  // Captures one app value of the event being queued, under the handle `<seq>.<field>`.
  private captureField(value: unknown, seq: number, field: string): CapturedValue {
    const preview = this.previewSerializer(value);
    this.eventBytes += preview.bytes;
    if (!preview.truncated) return { preview: preview.value, bytes: preview.bytes };

    const handle = `${seq}.${field}`;
    const full = this.fullSerializer(value);
    this.store.put(handle, full);
    this.eventHandles ??= [];
    this.eventHandles.push(handle);
    return { preview: preview.value, handle, bytes: full.bytes };
  }

  /**
   * Serializes one app value into a preview; when the preview was cut, `bytes` is the size of
   * the full value. Commands use it for values that belong to no recorded event.
   */
  capture(value: unknown): CapturedValue {
    const preview = this.previewSerializer(value);
    if (!preview.truncated) return { preview: preview.value, bytes: preview.bytes };

    const full = this.fullSerializer(value);
    return { preview: preview.value, bytes: full.bytes };
  }

  private takePending(): {
    seqs: number[];
    events: WireTraceEvent[];
    handles: (string[] | undefined)[];
    dropped: SeqRange[];
  } {
    const pending = {
      seqs: this.pendingSeqs,
      events: this.pendingEvents,
      handles: this.pendingHandles,
      dropped: this.pendingDropped,
    };
    this.pendingSeqs = [];
    this.pendingEvents = [];
    this.pendingHandles = [];
    this.pendingBytes = 0;
    this.pendingDropped = [];
    this.flushRequested = false;
    return pending;
  }

  /**
   * Encodes the pending events as JSON, moves them into the ring buffer and returns them. Runs
   * in the batch timer, off the emit path; commands call it too, to see the newest events.
   */
  flush(): FlushedBatch {
    this.flushRequested = false;
    if (this.pendingSeqs.length === 0 && this.pendingDropped.length === 0) return EMPTY_BATCH;

    const { seqs, events, handles, dropped } = this.takePending();
    const count = seqs.length;
    const parts = new Array<string>(count);
    for (let index = 0; index < count; index++) {
      parts[index] = encodeRecordedEvent(seqs[index]!, events[index]!);
    }

    // Each buffered event keeps a slice of its chunk's string, which V8 stores as a reference
    // into the chunk rather than a copy, so the ring buffer counts a chunk whole until its last
    // event leaves. A chunk is capped at a quarter of `maxBytes`, so evicting whole chunks still
    // leaves the buffer at least three quarters full. At the defaults, a batch of up to 10,000
    // events of 800 bytes each is one chunk.
    const maxChunkLength = Math.max(1, Math.floor(this.options.maxBytes / 4));
    const chunks: string[] = [];
    const entries = new Array<BufferedEvent>(count);
    let chunkStart = 0;
    let chunkLength = 0;
    for (let index = 0; index < count; index++) {
      const length = parts[index]!.length;
      if (index > chunkStart && chunkLength + 1 + length > maxChunkLength) {
        chunks.push(this.bufferChunk(chunkStart, index, parts, seqs, events, handles, entries));
        chunkStart = index;
        chunkLength = length;
      } else {
        chunkLength += index > chunkStart ? 1 + length : length;
      }
    }
    if (count > 0) {
      chunks.push(this.bufferChunk(chunkStart, count, parts, seqs, events, handles, entries));
    }

    // The live frame wraps the batch whole. Joining chunks copies them, which happens only
    // when `maxBytes` is small against the batch.
    const eventsJson = chunks.length === 1 ? chunks[0]! : chunks.join(',');
    return { entries, eventsJson, dropped };
  }

  /**
   * Joins the events from `start` to `end` into one string, appends each as a slice of it to the
   * ring buffer, fills their `entries` and returns the string.
   */
  private bufferChunk(
    start: number,
    end: number,
    parts: string[],
    seqs: number[],
    events: WireTraceEvent[],
    handles: (string[] | undefined)[],
    entries: BufferedEvent[],
  ): string {
    const json = end - start === parts.length ? parts.join(',') : parts.slice(start, end).join(',');
    const source: SharedJson = { bytes: stringMemoryBytes(json), live: 0 };

    let offset = 0;
    for (let index = start; index < end; index++) {
      const next = offset + parts[index]!.length;
      const eventJson = json.slice(offset, next);
      const entry: BufferedEvent = {
        seq: seqs[index]!,
        json: eventJson,
        bytes: encodesAscii(events[index]!) ? eventJson.length : Buffer.byteLength(eventJson),
        handles: handles[index],
        source,
      };
      entries[index] = entry;
      this.ring.append(entry, this.onEvicted);
      offset = next + 1;
    }
    return json;
  }

  private readonly onEvicted = (evicted: BufferedEvent): void => {
    this.counters.evicted++;
    if (evicted.handles === undefined) return;
    for (const handle of evicted.handles) this.store.delete(handle);
  };

  /** Returns the recorded event with `seq` while it is buffered. */
  findEvent(seq: number): RecordedEvent | undefined {
    const entry = this.ring.find(seq);
    return entry === undefined ? undefined : (JSON.parse(entry.json) as RecordedEvent);
  }

  /** Returns the full capture behind `handle` while its event is buffered. */
  getCapture(handle: string): StoredCapture | undefined {
    return this.store.get(handle);
  }

  get storeBytes(): number {
    return this.store.bytes;
  }

  /**
   * Takes a snapshot of every live signal, listener, breaker and saga now. Core sends one to each
   * new subscriber, so a short-lived second subscription reads it.
   */
  takeSnapshot(): SnapshotMessage['snapshot'] {
    let snapshot: SnapshotEvent | undefined;
    const probe = (event: TraceEvent): void => {
      if (event.type === 'snapshot' && snapshot === undefined) snapshot = event;
    };
    traceChannel.subscribe(probe, { onError: this.onSubscriberError });
    traceChannel.unsubscribe(probe);

    return (
      (copyPlain(snapshot, this.copiedStringLength) as SnapshotEvent | undefined) ?? emptySnapshot()
    );
  }

  /** Builds the NDJSON export: an {@link ExportHeader} line, then one buffered event per line. */
  exportNdjson(app: HelloMessage['app']): { ndjson: string; events: number } {
    this.flush();
    const header: ExportHeader = {
      type: 'sigscope-export',
      protocolVersion: PROTOCOL_VERSION,
      app,
      exportedAt: Date.now(),
      snapshot: this.takeSnapshot(),
    };
    const lines = [JSON.stringify(header)];
    const entries = this.ring.after(0);
    for (const entry of entries) lines.push(entry.json);
    return { ndjson: `${lines.join('\n')}\n`, events: entries.length };
  }
}

/** Full captures by handle, bounded by bytes; the oldest leave first. */
class CaptureStore {
  private readonly captures = new Map<string, StoredCapture>();
  private totalBytes = 0;

  constructor(private readonly maxBytes: number) {}

  get bytes(): number {
    return this.totalBytes;
  }

  put(handle: string, result: SerializeResult): void {
    if (result.bytes > this.maxBytes) return;

    this.captures.set(handle, result);
    this.totalBytes += result.bytes;
    for (const [oldest, capture] of this.captures) {
      if (this.totalBytes <= this.maxBytes) break;
      this.captures.delete(oldest);
      this.totalBytes -= capture.bytes;
    }
  }

  get(handle: string): StoredCapture | undefined {
    return this.captures.get(handle);
  }

  delete(handle: string): void {
    const capture = this.captures.get(handle);
    if (capture === undefined) return;

    this.captures.delete(handle);
    this.totalBytes -= capture.bytes;
  }

  clear(): void {
    this.captures.clear();
    this.totalBytes = 0;
  }
}

const MAX_COPY_DEPTH = 8;
/**
 * Floor of the cut applied to strings in copied event fields. Core's own strings there (event
 * types, emit modes, reasons) are far shorter, so a small `maxStringLength` never cuts them.
 */
const MIN_COPIED_STRING_LENGTH = 256;

/**
 * Copies the plain data core puts in trace events (ids, names, listener lists, counters), so a
 * later change to an object core reuses cannot change a recorded event. Strings such as signal
 * names come from the app, so they are cut to `maxLength` characters with a trailing `…`:
 * every event repeats them, and a huge one would make each buffered event huge.
 */
function copyPlain(value: unknown, maxLength: number, depth = 0): unknown {
  if (typeof value === 'string') {
    return value.length <= maxLength ? value : `${value.slice(0, maxLength)}…`;
  }
  if (value === null || typeof value !== 'object' || depth > MAX_COPY_DEPTH) return value;
  if (Array.isArray(value)) {
    return value.map((item) => copyPlain(item, maxLength, depth + 1));
  }

  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = copyPlain(item, maxLength, depth + 1);
  }
  return copy;
}

/**
 * Returns an upper bound of the heap bytes V8 takes for the characters of `json`: one per
 * character when it is ASCII, else two, the size of a two-byte string.
 */
function stringMemoryBytes(json: string): number {
  const utf8Length = Buffer.byteLength(json);
  return utf8Length === json.length ? utf8Length : 2 * json.length;
}

function emptySnapshot(): SnapshotEvent {
  return { type: 'snapshot', ts: Date.now(), signals: [], breakers: [], sagas: [] };
}
