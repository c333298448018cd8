import { checkContext } from '../signal/arguments.js';
import type { AsyncSignal } from '../signal/async-signal.js';
import type { SyncSignal } from '../signal/sync-signal.js';
import { describeValue, nextTraceId, publish, traceNow, tracingEnabled } from '../trace/channel.js';
import type { OwnerInfo } from '../trace/events.js';
import type { Context, ErrorHandler, Listener } from '../types.js';
import { checkInteger, checkName } from './internal.js';
import { createPatternSignal } from './pattern-signal.js';

/** One event as the store keeps it. */
export interface StoredEvent<T = unknown> {
  /** A random UUID. */
  readonly id: string;
  readonly type: string;
  /** A structured clone of the appended data. */
  readonly data: T;
  /** Milliseconds since the Unix epoch. */
  readonly timestamp: number;
  /** 1 for the first event, then one higher for each append. */
  readonly version: number;
}

/** Options for {@link EventStore}. */
export interface EventStoreOptions {
  /** Name the inspector shows; the signal is `<name>.appended`. @default `event-store#<id>` */
  readonly name?: string;
  /** Receives failures of listeners on {@link EventStore.appended}. @default the signal's default */
  readonly onError?: ErrorHandler;
}

/** Options for {@link EventStore.append}. */
export interface AppendOptions {
  /**
   * The version the caller last saw. The append throws a {@link ConcurrencyError} unless the
   * store is still at it. @default undefined (no check)
   */
  readonly expectedVersion?: number;
}

/** The destination of {@link EventStore.replay}: a listener, or a signal to emit the events on. */
export type ReplayTarget<T> =
  | Listener<StoredEvent<T>>
  | AsyncSignal<StoredEvent<T>>
  | SyncSignal<StoredEvent<T>>;

/** Thrown by {@link EventStore.append} when `expectedVersion` is not the store's version. */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';
  readonly store: string;
  readonly expectedVersion: number;
  readonly actualVersion: number;

  constructor(store: string, expectedVersion: number, actualVersion: number) {
    super(
      `EventStore "${store}": append expected version ${expectedVersion}, but the store is at version ${actualVersion}. Reload the events after version ${expectedVersion} and decide again.`,
    );
    this.store = store;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

/**
 * An append-only, in-memory event log. Each append gets the next version and a structured
 * clone of its data, so the caller may change its object afterwards. Every read returns fresh
 * copies, and {@link appended} emits each new event.
 *
 * @example
 * const store = new EventStore<AccountEvent>({ name: 'accounts' });
 * store.appended.addListener((event) => projection.apply(event));
 * store.append('deposited', { amount: 50 }, { expectedVersion: 0 });
 * await store.replay(1, (event) => rebuilt.apply(event));
 */
export class EventStore<T = unknown> {
  /** Process-wide unique id, as trace events carry it. */
  readonly id: number;
  readonly name: string;
  /** Emits a copy of every appended event. */
  readonly appended: AsyncSignal<StoredEvent<T>>;

  readonly #events: StoredEvent<T>[] = [];

  constructor(options: EventStoreOptions = {}) {
    this.id = nextTraceId();
    this.name =
      options.name === undefined
        ? `event-store#${this.id}`
        : checkName(
            'new EventStore',
            'name',
            options.name,
            'Pass a name such as "accounts", or omit it.',
          );

    const owner: OwnerInfo = { kind: 'event-store', name: this.name };
    this.appended = createPatternSignal(owner, 'appended', options.onError);
  }

  /** The version of the last event; 0 while the store is empty. */
  get version(): number {
    return this.#events.length;
  }

  /**
   * Appends an event and returns a copy of the stored record.
   *
   * @throws {ConcurrencyError} when `options.expectedVersion` is set and differs from {@link version}
   * @throws {TypeError} when `type` is empty or `data` cannot be structured-cloned because it
   *   contains a function or a symbol. Class instances are stored as plain objects.
   */
  append(type: string, data: T, options: AppendOptions = {}): StoredEvent<T> {
    const where = 'EventStore.append';
    checkName(where, 'type', type, 'Pass the event type, such as "deposited".');
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(
        `${where}: "options" must be an object such as { expectedVersion: 3 }, received ${describeValue(options)}. Omit it for no version check.`,
      );
    }
    if (options.expectedVersion !== undefined) {
      checkInteger(
        where,
        'options.expectedVersion',
        options.expectedVersion,
        0,
        'Pass the version you last read, or omit it.',
      );
      if (options.expectedVersion !== this.version) {
        throw new ConcurrencyError(this.name, options.expectedVersion, this.version);
      }
    }

    let copy: T;
    try {
      copy = structuredClone(data);
    } catch (error) {
      throw new TypeError(
        `${where}: "data" of event "${type}" cannot be copied with structuredClone (${describeValue(data)}). Pass plain data: objects, arrays, strings, numbers, Dates, Maps, Sets.`,
        { cause: error },
      );
    }

    const event: StoredEvent<T> = {
      id: crypto.randomUUID(),
      type,
      data: copy,
      timestamp: Date.now(),
      version: this.#events.length + 1,
    };
    this.#events.push(event);

    void this.appended.emit(copyEvent(event));
    if (tracingEnabled) {
      publish({
        type: 'eventstore.appended',
        ts: traceNow(),
        storeId: this.id,
        name: this.name,
        version: event.version,
        eventType: type,
        payload: event.data,
      });
    }
    return copyEvent(event);
  }

  /**
   * Returns copies of the events from `fromVersion` on, inclusive.
   * @throws {RangeError} when `fromVersion` is not an integer >= 1
   */
  events(fromVersion = 1): StoredEvent<T>[] {
    checkInteger('EventStore.events', 'fromVersion', fromVersion, 1, 'Pass 1 for every event.');
    return this.#events.slice(fromVersion - 1).map(copyEvent);
  }

  /**
   * Sends copies of the events from `fromVersion` on, inclusive and in order, to `target`: a
   * listener is called and awaited, a signal gets an awaited `emit`. Events appended during the
   * replay are not included. Resolves with how many events were sent. Stops with the abort
   * reason when `ctx.signal` aborts between events, and rejects when a listener target throws.
   */
  async replay(fromVersion: number, target: ReplayTarget<T>, ctx?: Context): Promise<number> {
    const where = 'EventStore.replay';
    checkInteger(where, 'fromVersion', fromVersion, 1, 'Pass 1 to replay every event.');
    const replayCtx = checkContext(ctx, where);
    const send = toSender(target, where);

    const events = this.#events.slice(fromVersion - 1);
    for (const event of events) {
      if (replayCtx.signal?.aborted) throw replayCtx.signal.reason;

      await send(copyEvent(event), replayCtx);
    }
    return events.length;
  }
}

function toSender<T>(
  target: ReplayTarget<T>,
  where: string,
): (event: StoredEvent<T>, ctx: Context) => void | Promise<void> {
  if (typeof target === 'function') return target;
  if (typeof target === 'object' && target !== null && typeof target.emit === 'function') {
    return (event, ctx) => target.emit(event, ctx);
  }
  throw new TypeError(
    `${where}: "target" must be a listener function or a signal, received ${describeValue(target)}.`,
  );
}

function copyEvent<T>(event: StoredEvent<T>): StoredEvent<T> {
  return { ...event, data: structuredClone(event.data) };
}
