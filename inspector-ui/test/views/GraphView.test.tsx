import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { inspectorStore } from '../../src/store/store.js';
import { GraphView } from '../../src/views/GraphView.js';
import { loadStore } from '../fixtures/store.js';
import { checkoutStream, patternStream } from '../fixtures/stream.js';

describe('GraphView', () => {
  it('renders signal and listener nodes', async () => {
    loadStore(checkoutStream().messages);
    render(<GraphView detailMinZoom={0} />);

    expect(await screen.findByText('order.placed')).toBeTruthy();
    expect(screen.getByText('chargeCard')).toBeTruthy();
    expect(screen.getByText('src/pay.ts:12:3')).toBeTruthy();
  });

  it('shows error badges on failing listeners', async () => {
    loadStore(checkoutStream().messages);
    render(<GraphView detailMinZoom={0} />);

    await screen.findByText('order.placed');
    const badges = [...document.querySelectorAll('.listener-node .error-badge')];

    expect(badges.map((badge) => badge.textContent?.trim())).toEqual([
      '50.0% errors',
      '100.0% errors',
    ]);
  });

  it('filters other views when a node is selected', async () => {
    loadStore(checkoutStream().messages);
    render(<GraphView detailMinZoom={0} />);
    // fireEvent, because d3-zoom reads `event.view` on mousedown, which user-event leaves null.
    fireEvent.click(await screen.findByText('payment.requested'));

    expect(inspectorStore.getState().ui.selectedNodeId).toBe('signal:2');
    expect(inspectorStore.getState().ui.filters.signalId).toBe(2);
    expect(screen.getByText(/Selected signal payment.requested/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Clear selection' }));
    expect(inspectorStore.getState().ui.filters.signalId).toBeUndefined();
  });

  it('selects a node with the keyboard', async () => {
    loadStore(checkoutStream().messages);
    render(<GraphView detailMinZoom={0} />);
    await screen.findByText('payment.requested');
    const node = document.querySelector<HTMLElement>('.react-flow__node[data-id="signal:2"]')!;

    fireEvent.keyDown(node, { key: 'Enter' });
    expect(inspectorStore.getState().ui.selectedNodeId).toBe('signal:2');

    fireEvent.keyDown(node, { key: 'Escape' });
    expect(inspectorStore.getState().ui.selectedNodeId).toBeUndefined();
  });

  it('keeps edges out of the Tab order', async () => {
    loadStore(checkoutStream().messages);
    render(<GraphView detailMinZoom={0} />);
    const edge = await screen.findByRole('group', {
      name: 'Listener charge emits payment.requested',
    });

    expect(edge.getAttribute('tabindex')).toBeNull();
    expect(
      document.querySelector('.react-flow__node[data-id="signal:1"]')!.getAttribute('tabindex'),
    ).toBe('0');
  });

  it('warns about a likely listener leak', async () => {
    const { messages } = checkoutStream();
    loadStore(messages);
    const listeners = Array.from({ length: 12 }, (_, index) => ({
      seq: 1000 + index,
      event: {
        type: 'listener.added' as const,
        ts: 0,
        signalId: 2,
        listenerId: 500 + index,
        key: undefined,
        functionName: 'onPayment',
        location: undefined,
        index: index + 1,
      },
    }));
    inspectorStore.getState().ingest([{ type: 'events', backfill: false, events: listeners }]);
    render(<GraphView detailMinZoom={0} />);

    expect(await screen.findByRole('img', { name: 'Possible listener leak' })).toBeTruthy();
  });

  it('counts rate limiter drops and store appends', async () => {
    loadStore(patternStream());
    render(<GraphView detailMinZoom={0} />);

    expect(await screen.findByText('2 dropped')).toBeTruthy();
    expect(screen.getByText('3 appended')).toBeTruthy();
  });

  it('shows only names when zoomed out', async () => {
    loadStore(checkoutStream().messages);
    render(<GraphView detailMinZoom={Number.POSITIVE_INFINITY} />);

    expect(await screen.findByText('order.placed')).toBeTruthy();
    expect(screen.getByText('charge')).toBeTruthy();
    expect(screen.queryByText('src/pay.ts:12:3')).toBeNull();
    expect(document.querySelectorAll('.graph-node.is-compact')).toHaveLength(9);
  });

  it('says so when there are no signals', () => {
    loadStore([]);
    render(<GraphView detailMinZoom={0} />);

    expect(screen.getByText(/No signals yet/)).toBeTruthy();
  });

  it('shows the listener location in the tooltip and selection', async () => {
    loadStore(checkoutStream().messages);
    render(<GraphView detailMinZoom={0} />);
    const node = (await screen.findByText('chargeCard')).closest<HTMLElement>('.graph-node')!;

    expect(node.title).toMatch(/^chargeCard.* on order\.placed, registered at src\/pay\.ts:12:3$/);

    fireEvent.click(node);
    expect(screen.getByText(/registered at src\/pay\.ts:12:3; the timeline/)).toBeTruthy();
  });

  it('labels the window the counts cover', async () => {
    loadStore(checkoutStream().messages);
    render(<GraphView detailMinZoom={0} />);

    expect(
      screen.getByText(/^Counts cover the events this page received since it connected/),
    ).toBeTruthy();
  });

  it('labels the counts of an import', () => {
    loadStore(checkoutStream().messages);
    inspectorStore.getState().setConnection({ status: 'imported', detail: 'shop.ndjson' });
    render(<GraphView detailMinZoom={0} />);

    expect(screen.getByText('Counts cover the events in the recording shop.ndjson.')).toBeTruthy();
  });

  it('uses the singular for one listener', async () => {
    loadStore(checkoutStream().messages);
    render(<GraphView detailMinZoom={0} />);
    const node = (await screen.findByText('payment.requested')).closest<HTMLElement>(
      '.graph-node',
    )!;

    expect(node.textContent).toMatch(/\b1 listener\b(?!s)/);
  });
});
