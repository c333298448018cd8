import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LimitersView } from '../../src/views/LimitersView.js';
import { loadStore } from '../fixtures/store.js';
import { checkoutStream, patternStream } from '../fixtures/stream.js';

describe('LimitersView', () => {
  it('lists dropped emits per rate limiter', () => {
    loadStore(patternStream());
    render(<LimitersView />);
    const limiter = screen.getByRole('region', { name: 'Rate limiter notifications.email' });
    const drops = within(limiter).getByRole('table', {
      name: 'Dropped emits of notifications.email',
    });

    expect(within(limiter).getByRole('heading').textContent).toBe('notifications.email 2 dropped');
    expect(within(drops).getAllByRole('row')).toHaveLength(3);
    expect(within(drops).getAllByText('5 of 5')).toHaveLength(2);
  });

  it('counts event store appends by type', () => {
    loadStore(patternStream());
    render(<LimitersView />);
    const store = screen.getByRole('region', { name: 'Event store order-events' });
    const counters = within(store).getByLabelText('Appends of order-events by event type');
    const appends = within(store).getByRole('table', { name: 'Recent appends of order-events' });

    expect(counters.textContent).toBe('all3OrderPlaced2OrderPaid1');
    expect(within(appends).getAllByRole('row')[1]!.textContent).toContain('OrderPlaced');
  });

  it('says so when nothing was dropped or appended', () => {
    loadStore(checkoutStream().messages);
    render(<LimitersView />);

    expect(screen.getByText('No rate limiter has dropped an emit yet.')).toBeTruthy();
    expect(screen.getByText('No event has been appended to an event store yet.')).toBeTruthy();
  });
});
