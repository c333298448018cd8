import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BreakersView } from '../../src/views/BreakersView.js';
import { loadStore } from '../fixtures/store.js';
import { checkoutStream, patternStream } from '../fixtures/stream.js';

describe('BreakersView', () => {
  it('shows each breaker as a region with its state', () => {
    loadStore(checkoutStream().messages);
    render(<BreakersView />);
    const breaker = screen.getByRole('region', { name: 'payments-api' });

    expect(within(breaker).getByRole('heading', { level: 3 }).textContent).toBe(
      'payments-api State: half-open',
    );
  });

  it('lists state history with reasons in order', () => {
    loadStore(checkoutStream().messages);
    render(<BreakersView />);
    const history = screen.getByRole('table', { name: 'State history of payments-api' });
    const rows = within(history).getAllByRole('row').slice(1);

    expect(
      rows.map((row) =>
        within(row)
          .getAllByRole('cell')
          .slice(1, 4)
          .map((cell) => cell.textContent),
      ),
    ).toEqual([
      ['closed', 'open', '2 consecutive failures'],
      ['open', 'half-open', 'recovery timeout elapsed'],
    ]);
  });

  it('shows counters and recent calls newest first', () => {
    loadStore(checkoutStream().messages);
    render(<BreakersView />);
    const counters = screen.getByLabelText('Counters of payments-api');
    const calls = screen.getByRole('table', { name: 'Recent calls of payments-api' });
    const outcomes = within(calls)
      .getAllByRole('row')
      .slice(1)
      .map((row) => within(row).getAllByRole('cell')[1]?.textContent);

    expect(counters.textContent).toBe('calls3successes0failures2timeouts0rejections1');
    expect(outcomes).toEqual(['rejected', 'failure', 'failure']);
    expect(screen.getByText(/opens after 2 failures/)).toBeTruthy();
  });

  it('shows a cancelled call', () => {
    loadStore(patternStream());
    render(<BreakersView />);
    const calls = screen.getByRole('table', { name: 'Recent calls of mail-api' });
    const badge = within(calls).getByText('cancelled');

    expect(badge.className).toContain('status-cancelled');
    expect(badge.getAttribute('title')).toMatch(/aborted/);
    expect(within(calls).getByText(/The operation was aborted/)).toBeTruthy();
  });

  it('names the running failure total', () => {
    loadStore(checkoutStream().messages);
    render(<BreakersView />);
    const history = screen.getByRole('table', { name: 'State history of payments-api' });

    expect(within(history).getByRole('columnheader', { name: 'Total failures' })).toBeTruthy();
  });

  it('prints a zero ms-clock duration as under 1 ms', () => {
    loadStore(checkoutStream().messages);
    render(<BreakersView />);
    const calls = screen.getByRole('table', { name: 'Recent calls of payments-api' });
    const rejected = within(calls).getAllByRole('row')[1]!;

    expect(within(rejected).getAllByRole('cell')[3]?.textContent).toBe('<1 ms');
  });
});
