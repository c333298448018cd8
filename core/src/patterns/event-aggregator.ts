import type { AsyncSignal } from '../signal/async-signal.js';
import type { SyncSignal } from '../signal/sync-signal.js';
import { describeValue, nextTraceId } from '../trace/channel.js';
import type { OwnerInfo } from '../trace/events.js';
import type { Context, ErrorHandler } from '../types.js';
import { checkName } from './internal.js';
import { createPatternSignal } from './pattern-signal.js';

/** One event of the aggregated stream. */
export interface AggregatedEvent<T = unknown> {
  /** The type given to {@link EventAggregator.attach}, such as `"order"`. */
  readonly type: string;
  /** The event's origin, such as `"order-service"`; the source signal's name by default. */
  readonly source: string;
  /** The payload the source signal emitted, by reference. */
  readonly data: T;
  /** When the aggregator received the event, in milliseconds since the Unix epoch. */
  readonly timestamp: number;
  /** `ctx.traceId` of the source emit, when the emitter set a string or number there. */
  readonly traceId: string | number | undefined;
}

/** Keeps an event of the given type when it returns true. */
export type AggregatorFilter = (event: AggregatedEvent) => boolean;

/** Options for {@link EventAggregator}. */
export interface EventAggregatorOptions {
  /** Name the inspector shows; the stream signal is `<name>.events`. @default `aggregator#<id>` */
  readonly name?: string;
  /** Receives failures of listeners on {@link EventAggregator.events}. @default the signal's default */
  readonly onError?: ErrorHandler;
}

/** Options for {@link EventAggregator.attach}. */
export interface AttachOptions {
  /** The event type the stream reports and filters go by, such as `"user"`. */
  readonly type: string;
  /** @default the source signal's name */
  readonly source?: string;
}

/** Any signal the aggregator can listen to. */
export type AggregatableSignal<T> = AsyncSignal<T> | SyncSignal<T>;

interface Attachment {
  readonly signal: { removeListener(key: string): number };
  readonly key: string;
}

/**
 * Merges several signals into one enriched stream, {@link events}: each payload arrives with
 * its type, source, a timestamp and the emitter's trace id, unless the filter for its type
 * rejects it. The aggregator forwards the source emit's `ctx`, so cancellation and context
 * values reach the stream's listeners.
 *
 * @example
 * const aggregator = new EventAggregator({ name: 'activity' });
 * aggregator.attach(userSignal, { type: 'user', source: 'auth' });
 * aggregator.attach(orderSignal, { type: 'order' });
 * aggregator.setFilter('order', (event) => event.data.total > 100);
 * aggregator.events.addListener((event) => console.log(event.type, event.traceId));
 */
export class EventAggregator {
  readonly id: number;
  readonly name: string;
  /** The aggregated stream. */
  readonly events: AsyncSignal<AggregatedEvent>;

  readonly #filters = new Map<string, AggregatorFilter>();
  readonly #attachments = new Set<Attachment>();
  #disposed = false;

  constructor(options: EventAggregatorOptions = {}) {
    this.id = nextTraceId();
    this.name =
      options.name === undefined
        ? `aggregator#${this.id}`
        : checkName(
            'new EventAggregator',
            'name',
            options.name,
            'Pass a name such as "activity", or omit it.',
          );

    const owner: OwnerInfo = { kind: 'aggregator', name: this.name };
    this.events = createPatternSignal(owner, 'events', options.onError);
  }

  /**
   * Adds a listener to `signal` that forwards its payloads to {@link events}, and returns a
   * function that removes that listener again. The listener's key is `<name>#<id>`, with an id
   * unique in the process, as the inspector shows it. A throwing filter fails that listener,
   * so the error reaches the source signal's `onError` (or `tryEmit` rejects with it).
   *
   * @throws {TypeError} when `signal` has no `addListener`, `type` is empty, or the signal
   *   already uses the listener key
   * @throws {Error} after {@link dispose}
   */
  attach<T>(signal: AggregatableSignal<T>, options: AttachOptions): () => void {
    const where = 'EventAggregator.attach';
    if (this.#disposed) {
      throw new Error(
        `${where}: aggregator "${this.name}" was disposed. Create a new EventAggregator.`,
      );
    }
    if (typeof signal !== 'object' || signal === null || typeof signal.addListener !== 'function') {
      throw new TypeError(
        `${where}: "signal" must be a signal from createSignal or createSyncSignal, received ${describeValue(signal)}.`,
      );
    }
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(
        `${where}: "options" must be an object { type, source? }, received ${describeValue(options)}.`,
      );
    }
    const type = checkName(
      where,
      'options.type',
      options.type,
      'Pass the event type, such as "user".',
    );
    const source =
      options.source === undefined
        ? signal.name
        : checkName(
            where,
            'options.source',
            options.source,
            'Pass where the events come from, or omit it.',
          );

    const key = `${this.name}#${nextTraceId()}`;
    const forward = (payload: T, ctx: Context): void => {
      const event: AggregatedEvent<T> = {
        type,
        source,
        data: payload,
        timestamp: Date.now(),
        traceId: readTraceId(ctx),
      };
      const filter = this.#filters.get(type);
      if (filter !== undefined && !filter(event)) return;

      // Not awaited: a slow stream listener must not hold up the source signal's chain.
      void this.events.emit(event, ctx);
    };
    if (signal.addListener(forward, key) === -1) {
      throw new TypeError(
        `${where}: the signal already has a listener with key "${key}". Remove that listener, or give the aggregator another name.`,
      );
    }

    const attachment: Attachment = { signal, key };
    this.#attachments.add(attachment);
    return () => this.#detach(attachment);
  }

  /** Sets the filter for `type`, replacing any earlier one; `undefined` removes it. */
  setFilter(type: string, filter: AggregatorFilter | undefined): void {
    checkName('EventAggregator.setFilter', 'type', type, 'Pass the event type, such as "user".');
    if (filter === undefined) {
      this.#filters.delete(type);
      return;
    }
    if (typeof filter !== 'function') {
      throw new TypeError(
        `EventAggregator.setFilter: "filter" must be a function or undefined, received ${describeValue(filter)}.`,
      );
    }
    this.#filters.set(type, filter);
  }

  /** How many signals are attached. */
  get attached(): number {
    return this.#attachments.size;
  }

  /** Removes every listener the aggregator added and the stream's listeners. Later `attach` throws. */
  dispose(): void {
    for (const attachment of [...this.#attachments]) this.#detach(attachment);
    this.#filters.clear();
    this.events.reset();
    this.#disposed = true;
  }

  #detach(attachment: Attachment): void {
    if (!this.#attachments.delete(attachment)) return;

    attachment.signal.removeListener(attachment.key);
  }
}

function readTraceId(ctx: Context): string | number | undefined {
  const traceId = ctx.traceId;
  return typeof traceId === 'string' || typeof traceId === 'number' ? traceId : undefined;
}
