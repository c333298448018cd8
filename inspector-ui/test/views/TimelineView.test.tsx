import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inspectorStore } from '../../src/store/store.js';
import { emitAxis, TimelineView } from '../../src/views/TimelineView.js';
import { loadStore } from '../fixtures/store.js';
import { checkoutStream, okEmit, patternStream, StreamBuilder } from '../fixtures/stream.js';

function oneMoreEmit() {
  const stream = new StreamBuilder(10_000);
  okEmit(stream, { emitId: 900, signalId: 1, signalName: 'order.placed', listenerIds: [] });
  return stream.batch();
}

function emitRows() {
  return screen.getAllByRole('row').filter((row) => row.className.includes('row-emit'));
}

describe('TimelineView', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renders emits and markers as rows', () => {
    loadStore(checkoutStream().messages);
    render(<TimelineView />);

    expect(screen.getByRole('row', { name: /order.placed emit #100 failed/ })).toBeTruthy();
    expect(screen.getByRole('row', { name: /breaker payments-api: closed → open/ })).toBeTruthy();
    expect(
      screen.getByRole('row', { name: /saga fulfil-order run #7: step ship retry/ }),
    ).toBeTruthy();
  });

  it('renders limiter and store markers', () => {
    loadStore(patternStream());
    render(<TimelineView />);

    expect(
      screen.getAllByRole('row', {
        name: 'rate limiter notifications.email: emit dropped, queue full (5 of 5)',
      }),
    ).toHaveLength(2);
    expect(
      screen.getByRole('row', {
        name: 'event store order-events: appended OrderPaid (version 2)',
      }),
    ).toBeTruthy();
  });

  it("keeps the filtered signal's markers", () => {
    loadStore(patternStream());
    inspectorStore.getState().setFilters({ signalId: 40 });
    render(<TimelineView />);

    expect(screen.getAllByRole('row', { name: /^rate limiter notifications.email/ })).toHaveLength(
      2,
    );
    expect(screen.queryByRole('row', { name: /^event store/ })).toBeNull();
  });

  it('shows all markers from the chip toggle', () => {
    loadStore(checkoutStream().messages);
    inspectorStore.getState().setFilters({ statuses: ['failed'] });
    render(<TimelineView />);
    expect(screen.queryByRole('row', { name: /^breaker payments-api/ })).toBeNull();

    const chips = screen.getByRole('list', { name: 'Active filters' });
    fireEvent.click(within(chips).getByRole('checkbox', { name: 'Show all markers' }));

    expect(screen.getAllByRole('row', { name: /^breaker payments-api/ }).length).toBeGreaterThan(0);
    expect(screen.queryByRole('row', { name: /order.placed emit #101 ok/ })).toBeNull();
  });

  it('links a tryEmit row to its chain', () => {
    loadStore(checkoutStream().messages);
    render(<TimelineView />);
    fireEvent.click(screen.getByRole('button', { name: 'Open chain of emit #102' }));
    const ui = inspectorStore.getState().ui;

    expect(ui.activeTab).toBe('chains');
    expect(ui.linkedChainEmitId).toBe(102);
    expect(ui.selectedEmitId).toBeUndefined();
  });

  it('links a saga row to its run', () => {
    loadStore(checkoutStream().messages);
    render(<TimelineView />);
    fireEvent.click(screen.getAllByRole('button', { name: 'Open saga run #7' })[0]!);
    const ui = inspectorStore.getState().ui;

    expect(ui.activeTab).toBe('sagas');
    expect(ui.linkedRunId).toBe(7);
  });

  it('opens a saga run with Enter on its row', () => {
    loadStore(checkoutStream().messages);
    render(<TimelineView />);
    const row = screen.getAllByRole('row', { name: /^saga fulfil-order run #7/ })[0]!;
    fireEvent.keyDown(row, { key: 'Enter' });

    expect(inspectorStore.getState().ui.linkedRunId).toBe(7);
  });

  it('scales rows to their emit on request', () => {
    loadStore(checkoutStream().messages);
    render(<TimelineView />);
    const row = screen.getByRole('row', { name: /order.placed emit #100 failed/ });
    // jsdom drops the CSS max() widths, so the checks read the bars' left offsets.
    const secondSpanLeft = () =>
      Number.parseFloat(row.querySelectorAll<HTMLElement>('.bar-span')[1]!.style.left);
    const sharedLeft = secondSpanLeft();

    fireEvent.click(screen.getByRole('checkbox', { name: 'Scale rows to their emit' }));

    expect(row.querySelector<HTMLElement>('.bar-emit')!.style.left).toBe('0%');
    expect(secondSpanLeft()).toBeGreaterThan(sharedLeft);
    expect(secondSpanLeft()).toBeLessThan(100);
    expect(screen.getByText("Each row's bars span that emit's own duration")).toBeTruthy();
  });

  it('marks replayed emits', () => {
    loadStore(checkoutStream().messages);
    render(<TimelineView />);
    const row = screen.getByRole('row', { name: /emit #103 ok replay/ });

    expect(within(row).getByText('replay')).toBeTruthy();
  });

  it('filters the payload by regular expression', async () => {
    loadStore(checkoutStream().messages);
    render(<TimelineView />);
    const search = screen.getByRole('searchbox', { name: 'Search payload' });
    fireEvent.change(search, { target: { value: '/SKU-\\d+/' } });

    expect(emitRows().map((row) => row.getAttribute('aria-label'))).toEqual([
      'inventory.reserve emit #102 failed',
    ]);
    expect(screen.getByRole('list', { name: 'Active filters' }).textContent).toContain(
      'regex: /SKU-\\d+/',
    );
  });

  it('filters the payload by case-insensitive text', () => {
    loadStore(checkoutStream().messages);
    render(<TimelineView />);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search payload' }), {
      target: { value: 'a-1' },
    });

    expect(emitRows()).toHaveLength(3);
  });

  it('reports an invalid regular expression', () => {
    loadStore(checkoutStream().messages);
    render(<TimelineView />);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search payload' }), {
      target: { value: '/(unclosed/' },
    });

    expect(screen.getByRole('alert').textContent).toMatch(/Invalid regular expression/);
  });

  it('filters by status and removes the chip', async () => {
    const user = userEvent.setup();
    loadStore(checkoutStream().messages);
    render(<TimelineView />);
    await user.click(screen.getByRole('checkbox', { name: 'replay' }));

    expect(emitRows()).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Remove filter status: replay' }));
    expect(emitRows()).toHaveLength(4);
  });

  it('filters by signal', async () => {
    const user = userEvent.setup();
    loadStore(checkoutStream().messages);
    render(<TimelineView />);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Signal' }), 'payment.requested');

    expect(emitRows().map((row) => row.getAttribute('aria-label'))).toEqual([
      'payment.requested emit #101 ok',
    ]);
    expect(
      screen.getByRole('button', { name: 'Remove filter signal: payment.requested' }),
    ).toBeTruthy();
  });

  it('shows details with errors and cause chain', async () => {
    const user = userEvent.setup();
    loadStore(checkoutStream().messages);
    render(<TimelineView />);
    await user.click(screen.getByRole('row', { name: /order.placed emit #100/ }));
    const detail = screen.getByRole('complementary', { name: 'Emit details' });

    expect(within(detail).getByText('Error: SMTP down')).toBeTruthy();
    expect(within(detail).getByText('Error: connect ECONNREFUSED')).toBeTruthy();
    expect(within(detail).getByText(/caused by/)).toBeTruthy();
  });

  it('links parent and child emits', async () => {
    const user = userEvent.setup();
    loadStore(checkoutStream().messages);
    render(<TimelineView />);
    await user.click(screen.getByRole('row', { name: /order.placed emit #100/ }));
    await user.click(screen.getByRole('button', { name: /Child emit #101/ }));

    expect(inspectorStore.getState().ui.selectedEmitId).toBe(101);
    await user.click(screen.getByRole('button', { name: /Parent emit #100/ }));
    expect(inspectorStore.getState().ui.selectedEmitId).toBe(100);
  });

  it('shows the redacted marker in the payload tree', async () => {
    const user = userEvent.setup();
    loadStore(checkoutStream().messages);
    render(<TimelineView />);
    await user.click(screen.getByRole('row', { name: /payment.requested emit #101/ }));

    expect(
      within(screen.getByRole('region', { name: 'Payload' })).getByText('redacted'),
    ).toBeTruthy();
  });

  it('moves the selection with arrow keys', async () => {
    const user = userEvent.setup();
    loadStore(checkoutStream().messages);
    render(<TimelineView />);
    await user.click(screen.getByRole('row', { name: /order.placed emit #100/ }));
    await user.keyboard('{ArrowDown}');

    expect(inspectorStore.getState().ui.selectedEmitId).toBe(101);
  });

  it('shows new rows live after the refresh interval', () => {
    vi.useFakeTimers();
    loadStore(checkoutStream().messages);
    render(<TimelineView />);
    const before = screen.getAllByRole('row').length;

    act(() => inspectorStore.getState().ingest([oneMoreEmit()]));
    act(() => vi.advanceTimersByTime(300));

    expect(screen.getAllByRole('row')).toHaveLength(before + 1);
  });

  it('keeps the row count while paused', () => {
    vi.useFakeTimers();
    loadStore(checkoutStream().messages);
    render(<TimelineView />);
    const before = screen.getAllByRole('row').length;
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));

    act(() => inspectorStore.getState().ingest([oneMoreEmit()]));
    act(() => vi.advanceTimersByTime(300));

    expect(screen.getAllByRole('row')).toHaveLength(before);
    expect(screen.getByRole('button', { name: 'Resume live' })).toBeTruthy();
  });

  it('virtualizes 100k rows', () => {
    const stream = new StreamBuilder(1);
    for (let emitId = 1; emitId <= 100_000; emitId++) {
      stream.add({
        type: 'emit.started',
        emitId,
        parentEmitId: undefined,
        signalId: 1,
        signalName: 'tick',
        mode: 'sync',
        payload: undefined,
        listenerIds: [],
        replayOf: undefined,
      });
    }
    loadStore([stream.batch()]);
    render(<TimelineView />);

    expect(screen.getByRole('table', { name: 'Timeline rows' }).getAttribute('aria-rowcount')).toBe(
      '100000',
    );
    expect(screen.getAllByRole('row').length).toBeLessThan(100);
  });
});

describe('TimelineView gaps', () => {
  it('lists missing event ranges', () => {
    loadStore([
      ...checkoutStream().messages,
      { type: 'gap', fromSeq: 3, toSeq: 9, reason: 'slow-client' },
    ]);
    render(<TimelineView />);

    expect(screen.getByRole('note', { name: 'Missing events' }).textContent).toContain(
      'seq 3–9 (slow-client)',
    );
  });
});

describe('emitAxis', () => {
  it('covers spans that outlast the emit', () => {
    loadStore(checkoutStream().messages);
    const emit = inspectorStore.getState().data.emits.byId.get(100)!;
    const lastSpanEnd = Math.max(
      ...emit.spans.map((span) => (span.startedAt ?? 0) + (span.durationMs ?? 0)),
    );
    const axis = emitAxis(emit);

    expect(axis.start).toBe(emit.startedAt);
    expect(axis.end).toBeGreaterThanOrEqual(lastSpanEnd);
    expect(axis.end).toBeGreaterThanOrEqual(emit.finishedAt!);
  });
});
