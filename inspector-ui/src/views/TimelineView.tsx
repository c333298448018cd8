/**
 * Every emit with its listener spans on a shared time axis (or each row on its own emit's),
 * with breaker, saga, rate limiter and event store markers between them, virtualized for 100k
 * rows. Filters sit above the list as removable chips.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { EmitDetail, formatTime } from '../components/EmitDetail.js';
import { TimelineFilterBar } from '../components/TimelineFilterBar.js';
import { useThrottled } from '../hooks.js';
import { filterTimeline, markerSignalId } from '../store/filters.js';
import { formatDuration } from '../store/listener-stats.js';
import type { EmitRecord, EmitSlice, TimelineEntry, TimelineMarker } from '../store/model.js';
import { selectEmits, selectFilters, selectPatterns } from '../store/selectors.js';
import { summarize } from '../store/serialized.js';
import { type InspectorStore, inspectorStore, useInspector } from '../store/store.js';

const ROW_HEIGHT = 28;
const REFRESH_MS = 250;

const selectView = (store: InspectorStore) => ({
  selectedEmitId: store.ui.selectedEmitId,
  followLive: store.ui.followLive,
  pausedLength: store.ui.pausedLength,
});

interface Axis {
  readonly start: number;
  readonly end: number;
}

/** Returns the time range the visible rows cover, so their spans share one axis. */
function axisFor(entries: readonly TimelineEntry[], emits: EmitSlice): Axis {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const entry of entries) {
    if (entry.kind === 'marker') {
      start = Math.min(start, entry.marker.ts);
      end = Math.max(end, entry.marker.ts);
      continue;
    }
    const emit = emits.byId.get(entry.emitId);
    if (!emit) continue;
    start = Math.min(start, emit.startedAt);
    end = Math.max(end, emit.finishedAt ?? emit.startedAt);
  }
  if (!Number.isFinite(start)) return { start: 0, end: 1 };
  // A window of under a millisecond would make every bar full width.
  return { start, end: Math.max(end, start + 1) };
}

function percent(axis: Axis, ts: number): number {
  return ((ts - axis.start) / (axis.end - axis.start)) * 100;
}

/** A bar never gets narrower than 3 pixels, so sub-millisecond spans stay visible. */
const barWidth = (widthPercent: number) => `max(3px, ${widthPercent}%)`;

function EmitBars({ emit, axis }: { emit: EmitRecord; axis: Axis }) {
  const left = percent(axis, emit.startedAt);
  const width = percent(axis, emit.finishedAt ?? emit.startedAt) - left;
  return (
    <div className="lane" aria-hidden="true">
      <div
        className={`bar bar-emit bar-${emit.status}`}
        style={{ left: `${left}%`, width: barWidth(width) }}
      />
      {emit.spans.map((span) =>
        span.startedAt === undefined ? null : (
          <div
            key={`${span.index}:${span.listenerId}`}
            className={`bar bar-span bar-${span.status}`}
            style={{
              left: `${percent(axis, span.startedAt)}%`,
              width: barWidth(
                percent(axis, span.startedAt + (span.durationMs ?? 0)) -
                  percent(axis, span.startedAt),
              ),
            }}
          />
        ),
      )}
    </div>
  );
}

export function describeMarker(marker: TimelineMarker): string {
  if (marker.kind === 'breaker') {
    return `breaker ${marker.name}: ${marker.from} → ${marker.to} (${marker.reason})`;
  }
  if (marker.kind === 'ratelimiter') {
    return `rate limiter ${marker.name}: emit dropped, queue full (${marker.queued} of ${marker.capacity})`;
  }
  if (marker.kind === 'eventstore') {
    return `event store ${marker.name}: appended ${marker.eventType} (version ${marker.version})`;
  }
  if (marker.phase === 'run.started') return `saga ${marker.name} run #${marker.runId} started`;
  if (marker.phase === 'run.finished') return `saga ${marker.name} run #${marker.runId} finished`;
  return `saga ${marker.name} run #${marker.runId}: step ${marker.step} ${marker.phase} (attempt ${marker.attempt})`;
}

/**
 * Returns the range one emit and its spans cover, so a row scaled to it shows the order and
 * relative length of its listeners however short the emit was.
 */
export function emitAxis(emit: EmitRecord): Axis {
  let end = emit.finishedAt ?? emit.startedAt;
  for (const span of emit.spans) {
    if (span.startedAt !== undefined) end = Math.max(end, span.startedAt + (span.durationMs ?? 0));
  }
  // Times are in milliseconds, so a floor of a microsecond keeps an instant emit drawable.
  return { start: emit.startedAt, end: Math.max(end, emit.startedAt + 0.001) };
}

function EmitRow({ emit, axis }: { emit: EmitRecord; axis: Axis | undefined }) {
  return (
    <>
      <td className="cell-time">{formatTime(emit.startedAt)}</td>
      <td className="cell-signal">{emit.signalName}</td>
      <td className="cell-status">
        <span className={`status-badge status-${emit.status}`}>{emit.status}</span>
        {emit.replayOf !== undefined ? <span className="replay-badge">replay</span> : null}
        {emit.mode === 'try' ? (
          <button
            type="button"
            className="link-button row-link"
            aria-label={`Open chain of emit #${emit.emitId}`}
            tabIndex={-1}
            onClick={(event) => {
              // The row's own click would select the emit and stop following live.
              event.stopPropagation();
              inspectorStore.getState().openChain(emit.emitId);
            }}
          >
            chain →
          </button>
        ) : null}
      </td>
      <td className="cell-duration">{formatDuration(emit.durationMs)}</td>
      <td className="cell-payload">{summarize(emit.payload?.preview, 120)}</td>
      <td className="cell-lane">
        <EmitBars emit={emit} axis={axis ?? emitAxis(emit)} />
      </td>
    </>
  );
}

function MarkerRow({ marker, axis }: { marker: TimelineMarker; axis: Axis | undefined }) {
  return (
    <>
      <td className="cell-time">{formatTime(marker.ts)}</td>
      <td className="cell-marker">
        <span className={`marker-badge marker-${marker.kind}`}>{marker.kind}</span>{' '}
        <span className="marker-text">{describeMarker(marker)}</span>
        {marker.kind === 'saga' ? (
          <>
            {' '}
            <button
              type="button"
              className="link-button row-link"
              aria-label={`Open saga run #${marker.runId}`}
              tabIndex={-1}
              onClick={() => inspectorStore.getState().openSagaRun(marker.runId)}
            >
              run →
            </button>
          </>
        ) : null}
      </td>
      <td className="cell-lane">
        <div className="lane" aria-hidden="true">
          {axis ? (
            <div
              className={`tick tick-${marker.kind}`}
              style={{ left: `${percent(axis, marker.ts)}%` }}
            />
          ) : null}
        </div>
      </td>
    </>
  );
}

function rowLabel(entry: TimelineEntry, emits: EmitSlice): string {
  if (entry.kind === 'marker') return describeMarker(entry.marker);
  const emit = emits.byId.get(entry.emitId);
  if (!emit) return `emit #${entry.emitId}`;
  return `${emit.signalName} emit #${emit.emitId} ${emit.status}${emit.replayOf !== undefined ? ' replay' : ''}`;
}

export function TimelineView() {
  const liveEmits = useInspector(selectEmits);
  const emits = useThrottled(liveEmits, REFRESH_MS);
  const filters = useInspector(selectFilters);
  const patterns = useInspector(selectPatterns);
  const { selectedEmitId, followLive, pausedLength } = useInspector(useShallow(selectView));
  const scrollRef = useRef<HTMLDivElement>(null);
  // A shared axis shows when emits ran relative to each other, but bursts far apart squeeze
  // sub-millisecond spans to slivers, so each row can be scaled to its own emit instead.
  const [scalePerEmit, setScalePerEmit] = useState(false);

  // NOTE: a paused view keeps its first `pausedLength` rows; if the oldest rows are evicted while
  // paused, later rows slide into view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: emits.version stands for the mutable timeline
  const rows = useMemo(() => {
    const timeline =
      pausedLength === undefined ? emits.timeline : emits.timeline.slice(0, pausedLength);
    return filterTimeline(timeline, emits.byId, filters, (marker) =>
      markerSignalId(marker, patterns),
    );
  }, [emits, emits.version, filters, pausedLength, patterns]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  // The axis covers the rows on screen, not the overscan, so an off-screen slow emit does not
  // squeeze the visible bars into a corner.
  const range = virtualizer.range;
  const onScreen = range
    ? items.filter((item) => item.index >= range.startIndex && item.index <= range.endIndex)
    : items;
  const axis = axisFor(onScreen.map((item) => rows[item.index]!).filter(Boolean), emits);
  const rowAxis = scalePerEmit ? undefined : axis;

  useEffect(() => {
    if (followLive && pausedLength === undefined && rows.length > 0) {
      virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
    }
  }, [followLive, pausedLength, rows.length, virtualizer]);

  // Scroll to the selection when it changes, not on every new row, so rows come from a ref.
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  useEffect(() => {
    if (selectedEmitId === undefined) return;
    const index = rowsRef.current.findIndex(
      (entry) => entry.kind === 'emit' && entry.emitId === selectedEmitId,
    );
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
    // Keep keyboard focus on the selected row once it has rendered.
    const table = scrollRef.current;
    if (table?.contains(document.activeElement)) {
      table.querySelector<HTMLElement>(`[data-emit-id="${selectedEmitId}"]`)?.focus();
    }
  }, [selectedEmitId, virtualizer]);

  const selectedIndex = rows.findIndex(
    (entry) => entry.kind === 'emit' && entry.emitId === selectedEmitId,
  );

  const select = (emitId: number) => {
    inspectorStore.getState().setFollowLive(false);
    inspectorStore.getState().selectEmit(emitId);
  };

  // Arrow keys move the selection between emit rows; marker rows are skipped.
  const onRowKeyDown = (event: KeyboardEvent, entry: TimelineEntry) => {
    if ((event.key === 'Enter' || event.key === ' ') && entry.kind === 'emit') {
      event.preventDefault();
      select(entry.emitId);
      return;
    }
    if (event.key === 'Enter' && entry.kind === 'marker' && entry.marker.kind === 'saga') {
      event.preventDefault();
      inspectorStore.getState().openSagaRun(entry.marker.runId);
      return;
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const step = event.key === 'ArrowDown' ? 1 : -1;
    const from = selectedIndex >= 0 ? selectedIndex : rows.indexOf(entry);
    for (let index = from + step; index >= 0 && index < rows.length; index += step) {
      const next = rows[index]!;
      if (next.kind === 'emit') {
        select(next.emitId);
        return;
      }
    }
  };

  const selected = selectedEmitId === undefined ? undefined : emits.byId.get(selectedEmitId);

  return (
    <section className="timeline-view" aria-label="Timeline">
      <TimelineFilterBar
        shown={rows.length}
        total={emits.timeline.length}
        evicted={emits.evicted}
      />
      <div className="timeline-body">
        <div className="timeline-list">
          <div className="axis">
            {scalePerEmit ? (
              <span>Each row's bars span that emit's own duration</span>
            ) : (
              <>
                <span className="visually-hidden">Time axis of the visible rows: </span>
                <span>{formatTime(axis.start)}</span>
                <span>{formatDuration(axis.end - axis.start)} window</span>
                <span>{formatTime(axis.end)}</span>
              </>
            )}
            <label className="axis-toggle">
              <input
                type="checkbox"
                checked={scalePerEmit}
                onChange={(event) => setScalePerEmit(event.target.checked)}
              />{' '}
              Scale rows to their emit
            </label>
          </div>
          <div ref={scrollRef} className="timeline-scroll">
            {rows.length === 0 ? (
              <p className="empty">No emits match. Emits appear here as the app runs.</p>
            ) : null}
            <table
              className="timeline-table"
              aria-label="Timeline rows"
              aria-rowcount={rows.length}
              style={{ height: virtualizer.getTotalSize() }}
            >
              <tbody>
                {items.map((item) => {
                  const entry = rows[item.index];
                  if (!entry) return null;
                  const emit = entry.kind === 'emit' ? emits.byId.get(entry.emitId) : undefined;
                  const isSelected = entry.kind === 'emit' && entry.emitId === selectedEmitId;
                  // One row takes the tab stop: the selected one, else the first rendered.
                  const tabStop =
                    isSelected || (selectedIndex < 0 && item.index === items[0]?.index);
                  return (
                    <tr
                      key={entry.seq}
                      aria-rowindex={item.index + 1}
                      aria-current={isSelected ? 'true' : undefined}
                      aria-label={rowLabel(entry, emits)}
                      data-emit-id={entry.kind === 'emit' ? entry.emitId : undefined}
                      tabIndex={tabStop ? 0 : -1}
                      className={`timeline-row row-${entry.kind}${isSelected ? ' is-selected' : ''}${emit?.replayOf !== undefined ? ' is-replay' : ''}`}
                      style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                      onClick={entry.kind === 'emit' ? () => select(entry.emitId) : undefined}
                      onKeyDown={(event) => onRowKeyDown(event, entry)}
                    >
                      {entry.kind === 'marker' ? (
                        <MarkerRow marker={entry.marker} axis={rowAxis} />
                      ) : emit ? (
                        <EmitRow emit={emit} axis={rowAxis} />
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
        {selected ? (
          <EmitDetail emit={selected} />
        ) : (
          <aside className="emit-detail muted" aria-label="Emit details">
            Select an emit to see its payload, listeners and errors. Arrow keys move the selection.
          </aside>
        )}
      </div>
    </section>
  );
}
