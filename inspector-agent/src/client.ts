import { WebSocket } from 'ws';
import type { AgentLog } from './logger.js';
import type { AgentMessage, ErrorCode, GapMessage, SubscribeResult } from './protocol.js';
import type { FlushedBatch, Recorder } from './recorder.js';
import type { BufferedEvent } from './ring-buffer.js';

/** Events per `events` message in a backfill, so no single message contains the whole buffer. */
const BACKFILL_CHUNK = 500;

/** One connected UI: its socket, whether it subscribed, and what it missed while slow. */
export class ClientSession {
  /** True after a `subscribe`: the client gets live events from then on. */
  subscribed = false;
  /** Events this client did not get because its socket was backed up. */
  slowClientDrops = 0;
  private slowRange: { fromSeq: number; toSeq: number } | undefined;

  constructor(
    readonly id: number,
    readonly socket: WebSocket,
    private readonly slowClientBytes: number,
    private readonly log: AgentLog,
  ) {}

  /** Sends one message, or an already encoded one. Never throws. */
  send(message: AgentMessage | string): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;

    try {
      this.socket.send(typeof message === 'string' ? message : JSON.stringify(message), (error) => {
        if (error !== undefined && error !== null) this.logSendError(error);
      });
    } catch (error) {
      this.logSendError(error);
    }
  }

  sendError(code: ErrorCode, message: string, id?: string): void {
    this.send(
      id === undefined ? { type: 'error', code, message } : { type: 'error', id, code, message },
    );
  }

  /**
   * Sends a live batch, or counts it as dropped while more than `slowClientBytes`
   * wait in the socket; once it drains, sends one `slow-client` gap for everything skipped.
   */
  sendLive(batch: FlushedBatch, frame = new SharedFrame(batch.eventsJson)): void {
    if (!this.subscribed || this.socket.readyState !== WebSocket.OPEN) return;

    const first = batch.entries[0]?.seq ?? batch.dropped[0]?.fromSeq;
    const last =
      batch.dropped[batch.dropped.length - 1]?.toSeq ??
      batch.entries[batch.entries.length - 1]?.seq;
    if (first === undefined || last === undefined) return;

    if (this.socket.bufferedAmount > this.slowClientBytes) {
      this.slowClientDrops += batch.entries.length;
      this.slowRange = { fromSeq: this.slowRange?.fromSeq ?? first, toSeq: last };
      return;
    }

    this.sendSlowGap();
    if (batch.entries.length > 0) this.send(frame.json);
    for (const range of batch.dropped) this.send({ type: 'gap', ...range, reason: 'dropped' });
  }

  /** Sends the pending `slow-client` gap once the socket drained; the stats timer calls it too. */
  catchUp(): void {
    if (this.slowRange === undefined || this.socket.bufferedAmount > this.slowClientBytes) return;
    this.sendSlowGap();
  }

  /** True while more than `slowClientBytes` wait unread in this client's socket. */
  get backlogged(): boolean {
    return this.socket.bufferedAmount > this.slowClientBytes;
  }

  /**
   * Stops reading the client's messages while it does not read the agent's, so a client that
   * sends commands without reading the responses cannot make the agent queue them without bound.
   * {@link resumeReadingIfDrained} undoes it.
   */
  pauseReading(): void {
    if (this.socket.readyState === WebSocket.OPEN && !this.socket.isPaused) this.socket.pause();
  }

  /** Reads the client's messages again once its socket drained below `slowClientBytes`. */
  resumeReadingIfDrained(): void {
    if (this.socket.isPaused && !this.backlogged) this.socket.resume();
  }

  private sendSlowGap(): void {
    if (this.slowRange === undefined) return;

    const gap: GapMessage = { type: 'gap', ...this.slowRange, reason: 'slow-client' };
    this.slowRange = undefined;
    this.send(gap);
  }

  /**
   * Sends the history a subscribe requests: the buffered events after `lastSeq` (all of them
   * when absent), with a gap for every range it cannot have. Returns the ack result.
   */
  sendBackfill(recorder: Recorder, lastSeq: number | undefined): SubscribeResult {
    const buffer = recorder.buffer;
    const newest = recorder.lastSeq;
    // Recorders in one process continue each other's numbering, so a lastSeq above the newest
    // comes from another process and resumes nothing.
    const resumes = lastSeq !== undefined && lastSeq <= newest;
    let expected = newest + 1;
    if (resumes) expected = lastSeq + 1;
    else if (buffer.count > 0) expected = buffer.firstSeq;

    let chunk: BufferedEvent[] = [];
    let backfilled = 0;
    const sendChunk = (): void => {
      if (chunk.length === 0) return;
      this.send(encodeEvents(chunk, true));
      backfilled += chunk.length;
      chunk = [];
    };
    const sendGap = (toSeq: number): void => {
      sendChunk();
      // Sequence numbers below the recorder's first belong to an earlier agent run.
      const ownFirst = recorder.firstSeq;
      if (expected < ownFirst) {
        const restartedTo = Math.min(toSeq, ownFirst - 1);
        this.send({ type: 'gap', fromSeq: expected, toSeq: restartedTo, reason: 'restarted' });
        if (restartedTo === toSeq) return;
        expected = ownFirst;
      }
      this.send({ type: 'gap', fromSeq: expected, toSeq, reason: gapReason(recorder, expected) });
    };

    for (const entry of buffer.after(expected - 1)) {
      if (entry.seq > expected) sendGap(entry.seq - 1);
      chunk.push(entry);
      if (chunk.length >= BACKFILL_CHUNK) sendChunk();
      expected = entry.seq + 1;
    }
    if (expected <= newest) sendGap(newest);
    sendChunk();

    this.slowRange = undefined;
    this.subscribed = true;
    return { firstSeq: buffer.firstSeq, lastSeq: newest, backfilled };
  }

  private logSendError(error: unknown): void {
    this.log.warn(
      'SIGSCOPE_SEND_FAILED',
      `inspector agent: sending to client ${this.id} failed: ${String(error)}`,
    );
  }
}

function gapReason(recorder: Recorder, fromSeq: number): GapMessage['reason'] {
  if (fromSeq <= recorder.clearedThrough) return 'cleared';
  if (recorder.buffer.count === 0 || fromSeq < recorder.buffer.firstSeq) return 'evicted';
  return 'dropped';
}

/** The live `events` message of one batch, built on first use and then shared by every client. */
export class SharedFrame {
  private encoded: string | undefined;

  /** @param eventsJson the batch's events as JSON, joined by commas */
  constructor(private readonly eventsJson: string) {}

  get json(): string {
    this.encoded ??= `{"type":"events","backfill":false,"events":[${this.eventsJson}]}`;
    return this.encoded;
  }
}

/** Builds an `events` message from entries that are JSON already, without parsing them again. */
export function encodeEvents(entries: readonly BufferedEvent[], backfill: boolean): string {
  // join writes one flat string, where repeated += builds a rope that the socket write flattens.
  const parts = new Array<string>(entries.length);
  for (let index = 0; index < entries.length; index++) parts[index] = entries[index]!.json;
  return `{"type":"events","backfill":${backfill},"events":[${parts.join(',')}]}`;
}
