/** Rate-limited signals with the emits they dropped, and event stores with their appends. */
import { formatTime } from '../components/EmitDetail.js';
import type { EventStoreRecord, RateLimiterRecord } from '../store/model.js';
import { selectPatterns } from '../store/selectors.js';
import { summarize } from '../store/serialized.js';
import { useInspector } from '../store/store.js';

function RateLimiter({ limiter }: { limiter: RateLimiterRecord }) {
  return (
    <section className="pattern-card" aria-label={`Rate limiter ${limiter.name}`}>
      <h3>
        {limiter.name}{' '}
        <span className="status-badge status-failure">{limiter.dropped} dropped</span>
      </h3>
      <p className="muted">
        Emits are dropped while the queue holds {limiter.capacity} waiting emits.
      </p>
      <table aria-label={`Dropped emits of ${limiter.name}`}>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Queue</th>
            <th scope="col">Payload</th>
          </tr>
        </thead>
        <tbody>
          {[...limiter.recentDrops].reverse().map((drop) => (
            <tr key={drop.seq}>
              <td>{formatTime(drop.ts)}</td>
              <td>
                {drop.queued} of {drop.capacity}
              </td>
              <td className="cell-payload">{summarize(drop.payload?.preview, 120)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function EventStore({ store }: { store: EventStoreRecord }) {
  return (
    <section className="pattern-card" aria-label={`Event store ${store.name}`}>
      <h3>
        {store.name} <span className="status-badge">version {store.version}</span>
      </h3>
      <dl className="counter-list" aria-label={`Appends of ${store.name} by event type`}>
        <div>
          <dt>all</dt>
          <dd>{store.appends}</dd>
        </div>
        {[...store.byType].map(([eventType, count]) => (
          <div key={eventType}>
            <dt>{eventType}</dt>
            <dd>{count}</dd>
          </div>
        ))}
      </dl>
      <table aria-label={`Recent appends of ${store.name}`}>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Version</th>
            <th scope="col">Event type</th>
            <th scope="col">Data</th>
          </tr>
        </thead>
        <tbody>
          {[...store.recentAppends].reverse().map((append) => (
            <tr key={append.seq}>
              <td>{formatTime(append.ts)}</td>
              <td>{append.version}</td>
              <td>{append.eventType}</td>
              <td className="cell-payload">{summarize(append.payload?.preview, 120)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function LimitersView() {
  const patterns = useInspector(selectPatterns);
  const limiters = [...patterns.rateLimiters.values()];
  const stores = [...patterns.eventStores.values()];
  return (
    <section className="limiters-view" aria-label="Limiters & stores">
      <h2>Rate limiters</h2>
      {limiters.length === 0 ? (
        <p className="empty">No rate limiter has dropped an emit yet.</p>
      ) : (
        limiters.map((limiter) => <RateLimiter key={limiter.signalId} limiter={limiter} />)
      )}
      <h2>Event stores</h2>
      {stores.length === 0 ? (
        <p className="empty">No event has been appended to an event store yet.</p>
      ) : (
        stores.map((store) => <EventStore key={store.storeId} store={store} />)
      )}
    </section>
  );
}
