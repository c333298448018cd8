/** Timeline filters (signal, status, payload text or /regex/), chips for the active ones, live controls. */
import { useShallow } from 'zustand/react/shallow';
import { hasActiveFilters, parseTextFilter, type StatusFilter } from '../store/filters.js';
import { selectFilters, selectGaps, selectGraph } from '../store/selectors.js';
import { type InspectorStore, inspectorStore, useInspector } from '../store/store.js';

const statuses: readonly StatusFilter[] = ['ok', 'failed', 'replay'];

const selectLive = (store: InspectorStore) => ({
  followLive: store.ui.followLive,
  paused: store.ui.pausedLength !== undefined,
});

function Chip({ label, onRemove }: { label: string; onRemove: () => void }) {
  return (
    <li className="chip">
      {label}
      <button type="button" aria-label={`Remove filter ${label}`} onClick={onRemove}>
        ×
      </button>
    </li>
  );
}

export function TimelineFilterBar(props: { shown: number; total: number; evicted: number }) {
  const filters = useInspector(selectFilters);
  const gaps = useInspector(selectGaps);
  const graph = useInspector(selectGraph);
  const { followLive, paused } = useInspector(useShallow(selectLive));
  const store = inspectorStore.getState();
  const matcher = parseTextFilter(filters.text);

  const signals = [...graph.signals.values()].sort((a, b) => a.name.localeCompare(b.name));
  const toggleStatus = (status: StatusFilter) =>
    store.setFilters({
      statuses: filters.statuses.includes(status)
        ? filters.statuses.filter((candidate) => candidate !== status)
        : [...filters.statuses, status],
    });

  const listener =
    filters.listenerId === undefined ? undefined : graph.listeners.get(filters.listenerId);

  return (
    <div className="filter-bar">
      <form
        className="filter-controls"
        aria-label="Timeline filters"
        onSubmit={(event) => event.preventDefault()}
      >
        <label>
          Signal{' '}
          <select
            value={filters.signalId ?? ''}
            onChange={(event) =>
              store.setFilters({
                signalId: event.target.value === '' ? undefined : Number(event.target.value),
              })
            }
          >
            <option value="">All signals</option>
            {signals.map((signal) => (
              <option key={signal.signalId} value={signal.signalId}>
                {signal.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="status-filter">
          <legend>Status</legend>
          {statuses.map((status) => (
            <label key={status}>
              <input
                type="checkbox"
                checked={filters.statuses.includes(status)}
                onChange={() => toggleStatus(status)}
              />{' '}
              {status}
            </label>
          ))}
        </fieldset>
        <label>
          Search payload{' '}
          <input
            type="search"
            value={filters.text}
            placeholder="text or /regex/i"
            aria-invalid={matcher.kind === 'invalid'}
            aria-describedby={matcher.kind === 'invalid' ? 'search-error' : undefined}
            onChange={(event) => store.setFilters({ text: event.target.value })}
          />
        </label>
        <label>
          <input
            type="checkbox"
            checked={followLive}
            onChange={(event) => store.setFollowLive(event.target.checked)}
          />{' '}
          Follow live
        </label>
        <button type="button" aria-pressed={paused} onClick={() => store.setPaused(!paused)}>
          {paused ? 'Resume live' : 'Pause'}
        </button>
      </form>
      {matcher.kind === 'invalid' ? (
        <p id="search-error" role="alert" className="error-text">
          {matcher.message}
        </p>
      ) : null}
      <ul className="chips" aria-label="Active filters">
        {filters.signalId !== undefined ? (
          <Chip
            label={`signal: ${graph.signals.get(filters.signalId)?.name ?? filters.signalId}`}
            onRemove={() => store.setFilters({ signalId: undefined })}
          />
        ) : null}
        {filters.listenerId !== undefined ? (
          <Chip
            label={`listener: ${listener?.functionName ?? filters.listenerId}`}
            onRemove={() => store.setFilters({ listenerId: undefined })}
          />
        ) : null}
        {filters.statuses.map((status) => (
          <Chip key={status} label={`status: ${status}`} onRemove={() => toggleStatus(status)} />
        ))}
        {filters.text.trim() !== '' ? (
          <Chip
            label={`${matcher.kind === 'regex' ? 'regex' : 'text'}: ${filters.text.trim()}`}
            onRemove={() => store.setFilters({ text: '' })}
          />
        ) : null}
        {hasActiveFilters(filters) ? (
          <li className="chip chip-toggle">
            <label title="Show breaker, saga, rate limiter and event store rows of every signal. Rows that belong to the filtered signal show anyway.">
              <input
                type="checkbox"
                checked={filters.showMarkers}
                onChange={(event) => store.setFilters({ showMarkers: event.target.checked })}
              />{' '}
              Show all markers
            </label>
          </li>
        ) : null}
        {paused ? <li className="chip chip-paused">paused</li> : null}
      </ul>
      {gaps.length > 0 ? (
        <p className="notice" role="note" aria-label="Missing events">
          Missing events the agent could not send:{' '}
          {gaps
            .slice(-5)
            .map((gap) => `seq ${gap.fromSeq}–${gap.toSeq} (${gap.reason})`)
            .join(', ')}
          {gaps.length > 5 ? ` and ${gaps.length - 5} earlier gaps` : ''}
        </p>
      ) : null}
      <p className="muted row-count" aria-live="polite">
        {props.shown.toLocaleString()} of {props.total.toLocaleString()} rows
        {props.evicted > 0
          ? ` (${props.evicted.toLocaleString()} oldest dropped to bound memory)`
          : ''}
      </p>
    </div>
  );
}
