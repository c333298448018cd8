import { describe, expect, it } from 'vitest';
import {
  emptyFilters,
  filterTimeline,
  markerSignalId,
  parseTextFilter,
} from '../../src/store/filters.js';
import { createInspectorState, ingestMessage } from '../../src/store/ingest.js';
import { checkoutStream, patternStream } from '../fixtures/stream.js';

const state = checkoutStream().messages.reduce(ingestMessage, createInspectorState());

function emitIds(filters: Partial<typeof emptyFilters>) {
  return filterTimeline(state.emits.timeline, state.emits.byId, {
    ...emptyFilters,
    ...filters,
  }).map((entry) => (entry.kind === 'emit' ? entry.emitId : `marker:${entry.seq}`));
}

describe('parseTextFilter', () => {
  it('reads /pattern/flags as a regular expression', () => {
    const matcher = parseTextFilter('/sku-\\d/i');

    expect(matcher.kind).toBe('regex');
    expect(matcher.kind === 'regex' && matcher.regex.flags).toBe('i');
  });

  it('drops the stateful g and y flags', () => {
    const matcher = parseTextFilter('/a/gy');

    expect(matcher.kind).toBe('regex');
    expect(matcher.kind === 'regex' && matcher.regex.flags).toBe('');
  });

  it('reports an invalid pattern', () => {
    expect(parseTextFilter('/[/').kind).toBe('invalid');
  });

  it('treats other text as plain text', () => {
    expect(parseTextFilter(' A-1 ')).toEqual({ kind: 'text', needle: 'a-1' });
  });
});

describe('filterTimeline', () => {
  it('keeps markers while no filter is active', () => {
    expect(emitIds({}).length).toBe(state.emits.timeline.length);
  });

  it('matches a regex against the payload preview', () => {
    expect(emitIds({ text: '/"SKU-\\d"/' })).toEqual([102]);
  });

  it('matches redacted markers as text', () => {
    expect(emitIds({ text: '[Redacted]' })).toEqual([101]);
  });

  it('combines status filters with or', () => {
    expect(emitIds({ statuses: ['failed', 'replay'] })).toEqual([100, 102, 103]);
  });

  it('filters by listener', () => {
    expect(emitIds({ listenerId: 21 })).toEqual([101]);
  });

  it('ignores an invalid pattern instead of hiding everything', () => {
    expect(emitIds({ text: '/(/' })).toEqual([100, 101, 102, 103]);
  });
});

describe('filterTimeline markers', () => {
  const patterns = patternStream().reduce(ingestMessage, createInspectorState());

  function markerKinds(filters: Partial<typeof emptyFilters>) {
    return filterTimeline(
      patterns.emits.timeline,
      patterns.emits.byId,
      { ...emptyFilters, ...filters },
      (marker) => markerSignalId(marker, patterns.patterns),
    ).map((entry) => (entry.kind === 'marker' ? entry.marker.kind : 'emit'));
  }

  it('keeps rate limiter markers of the filtered signal', () => {
    expect(markerKinds({ signalId: 40 })).toEqual(['ratelimiter', 'ratelimiter']);
  });

  it("keeps an event store's markers by its signal", () => {
    expect(markerKinds({ signalId: 41 })).toEqual(['eventstore', 'eventstore', 'eventstore']);
  });

  it('hides markers of other signals', () => {
    expect(markerKinds({ signalId: 999 })).toEqual([]);
  });

  it('hides markers under a status filter', () => {
    expect(markerKinds({ statuses: ['failed'] })).toEqual([]);
  });

  it('keeps every marker with showMarkers', () => {
    const all = patterns.emits.timeline.filter((entry) => entry.kind === 'marker').length;

    expect(markerKinds({ statuses: ['failed'], showMarkers: true }).length).toBe(all);
  });

  it('shows breaker and saga markers with showMarkers', () => {
    const kinds = filterTimeline(state.emits.timeline, state.emits.byId, {
      ...emptyFilters,
      signalId: 1,
      showMarkers: true,
    }).map((entry) => (entry.kind === 'marker' ? entry.marker.kind : 'emit'));

    expect(kinds).toContain('breaker');
    expect(kinds).toContain('saga');
  });
});
