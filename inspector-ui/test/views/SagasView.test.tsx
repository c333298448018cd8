import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SagasView } from '../../src/views/SagasView.js';
import { loadStore } from '../fixtures/store.js';
import { checkoutStream } from '../fixtures/stream.js';

describe('SagasView', () => {
  it('shows each run by saga name and run id with its final status', () => {
    loadStore(checkoutStream().messages);
    render(<SagasView />);
    const run = screen.getByRole('listitem', { name: 'fulfil-order run #7' });

    expect(within(run).getByRole('heading', { level: 3 }).textContent).toBe(
      'fulfil-order run #7 Final status: rolled_back',
    );
  });

  it('lists every attempt with its retry and error', () => {
    loadStore(checkoutStream().messages);
    render(<SagasView />);
    const attempts = screen.getByRole('list', { name: 'Attempts of step ship' });
    const items = within(attempts)
      .getAllByRole('listitem')
      .map((item) => item.textContent);

    expect(items).toEqual([
      'attempt 1: failed in 2.0 ms, retry after 100 ms — Error: carrier timeout',
      'attempt 2: failed in 2.0 ms — Error: carrier down',
    ]);
  });

  it('lists rollbacks in reverse step order linked to their steps', () => {
    loadStore(checkoutStream().messages);
    render(<SagasView />);
    const rollbacks = screen.getByRole('list', { name: 'Rollbacks of fulfil-order run #7' });
    const links = within(rollbacks).getAllByRole('link');

    expect(links.map((link) => link.textContent)).toEqual(['step 2 charge', 'step 1 reserve']);
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      '#saga-run-7-step-1',
      '#saga-run-7-step-0',
    ]);
    expect(document.getElementById('saga-run-7-step-1')?.textContent).toContain('charge');
  });
});
