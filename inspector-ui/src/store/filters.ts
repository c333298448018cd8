/** Timeline filtering, kept apart from the components so tests can run it directly. */
import type { EmitRecord, PatternSlice, TimelineEntry, TimelineMarker } from './model.js';
import { summarize } from './serialized.js';

export type StatusFilter = 'ok' | 'failed' | 'replay';

export interface TimelineFilters {
  readonly signalId: number | undefined;
  readonly listenerId: number | undefined;
  /** Emits matching any of these pass; empty means all. */
  readonly statuses: readonly StatusFilter[];
  /** Plain text (case-insensitive) or `/pattern/flags` over the payload. */
  readonly text: string;
  /** Keep every marker row while other filters are active, not only the filtered signal's. */
  readonly showMarkers: boolean;
}

export const emptyFilters: TimelineFilters = {
  signalId: undefined,
  listenerId: undefined,
  statuses: [],
  text: '',
  showMarkers: false,
};

export type TextMatcher =
  | { readonly kind: 'none' }
  | { readonly kind: 'text'; readonly needle: string }
  | { readonly kind: 'regex'; readonly regex: RegExp }
  | { readonly kind: 'invalid'; readonly message: string };

const regexLiteral = /^\/(.+)\/([a-z]*)$/s;

/** Parses the search box: `/pattern/flags` is a regular expression, anything else plain text. */
export function parseTextFilter(text: string): TextMatcher {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'none' };

  const literal = regexLiteral.exec(trimmed);
  if (!literal) return { kind: 'text', needle: trimmed.toLowerCase() };

  try {
    // The `g` and `y` flags make `test` stateful, so they are dropped.
    const flags = literal[2]!.replace(/[gy]/g, '');
    return { kind: 'regex', regex: new RegExp(literal[1]!, flags) };
  } catch (error) {
    return {
      kind: 'invalid',
      message: `Invalid regular expression ${trimmed}: ${(error as Error).message}`,
    };
  }
}

/** Returns the payload preview as searchable text, cached on the record. */
export function payloadText(emit: EmitRecord): string {
  emit.searchText ??= summarize(emit.payload?.preview, Number.POSITIVE_INFINITY);
  return emit.searchText;
}

export function matchesEmit(
  emit: EmitRecord,
  filters: TimelineFilters,
  matcher: TextMatcher,
): boolean {
  if (filters.signalId !== undefined && emit.signalId !== filters.signalId) return false;
  if (
    filters.listenerId !== undefined &&
    !emit.spans.some((span) => span.listenerId === filters.listenerId)
  ) {
    return false;
  }
  if (filters.statuses.length > 0) {
    const passes = filters.statuses.some((status) =>
      status === 'replay' ? emit.replayOf !== undefined : emit.status === status,
    );
    if (!passes) return false;
  }

  switch (matcher.kind) {
    case 'none':
      return true;
    case 'text':
      return payloadText(emit).toLowerCase().includes(matcher.needle);
    case 'regex':
      return matcher.regex.test(payloadText(emit));
    case 'invalid':
      // An invalid pattern filters nothing out, and the search box shows the error.
      return true;
  }
}

export function hasActiveFilters(filters: TimelineFilters): boolean {
  return (
    filters.signalId !== undefined ||
    filters.listenerId !== undefined ||
    filters.statuses.length > 0 ||
    filters.text.trim() !== ''
  );
}

/**
 * Returns the id of the signal a marker belongs to: the rate-limited signal of a rate limiter
 * drop, or the `appended` signal of an event store once the reducer has found it. Breaker and
 * saga markers belong to no signal.
 */
export function markerSignalId(marker: TimelineMarker, patterns: PatternSlice): number | undefined {
  if (marker.kind === 'ratelimiter') return marker.signalId;
  if (marker.kind === 'eventstore') return patterns.eventStores.get(marker.storeId)?.signalId;
  return undefined;
}

/**
 * Returns the timeline entries that pass the filters. The filters describe emits, so while one
 * is active a marker row (breaker, saga, rate limiter, event store) shows only when it belongs
 * to the filtered signal, or when `showMarkers` is set.
 *
 * @param signalOfMarker maps a marker to its signal id, such as {@link markerSignalId} bound to
 * the pattern slice. @default no marker belongs to a signal
 */
export function filterTimeline(
  timeline: readonly TimelineEntry[],
  byId: ReadonlyMap<number, EmitRecord>,
  filters: TimelineFilters,
  signalOfMarker: (marker: TimelineMarker) => number | undefined = () => undefined,
): TimelineEntry[] {
  if (!hasActiveFilters(filters)) return timeline.slice();

  const matcher = parseTextFilter(filters.text);
  const result: TimelineEntry[] = [];
  for (const entry of timeline) {
    if (entry.kind === 'marker') {
      const shown =
        filters.showMarkers ||
        (filters.signalId !== undefined && signalOfMarker(entry.marker) === filters.signalId);
      if (shown) result.push(entry);
      continue;
    }
    const emit = byId.get(entry.emitId);
    if (emit && matchesEmit(emit, filters, matcher)) result.push(entry);
  }
  return result;
}
