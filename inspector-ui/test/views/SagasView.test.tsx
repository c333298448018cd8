import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { inspectorStore } from '../../src/store/store.js';
import { SagasView } from '../../src/views/SagasView.js';
import { loadStore } from '../fixtures/store.js';
import { checkoutStream, StreamBuilder } from '../fixtures/stream.js';

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

  it('shows rolled back or failed runs only on request', () => {
    const stream = new StreamBuilder(10_000);
    stream.add({
      type: 'saga.run.started',
      sagaId: 1,
      runId: 8,
      name: 'fulfil-order',
      data: undefined,
    });
    stream.add({
      type: 'saga.run.finished',
      sagaId: 1,
      runId: 8,
      name: 'fulfil-order',
      status: 'completed',
      durationMs: 0,
      error: undefined,
    });
    loadStore([...checkoutStream().messages, stream.batch()]);
    render(<SagasView />);
    const runs = () =>
      within(screen.getByRole('list', { name: 'Saga runs' }))
        .getAllByRole('listitem')
        .filter((item) => item.classList.contains('saga-run'))
        .map((item) => item.getAttribute('aria-label'));
    expect(runs()).toEqual(['fulfil-order run #8', 'fulfil-order run #7']);

    fireEvent.click(screen.getByRole('checkbox', { name: 'Rolled back or failed only' }));

    expect(runs()).toEqual(['fulfil-order run #7']);
  });

  it('prints a zero run duration as under 1 ms', () => {
    const stream = new StreamBuilder(10_000);
    stream.add({
      type: 'saga.run.started',
      sagaId: 1,
      runId: 8,
      name: 'fulfil-order',
      data: undefined,
    });
    stream.add({
      type: 'saga.run.finished',
      sagaId: 1,
      runId: 8,
      name: 'fulfil-order',
      status: 'completed',
      durationMs: 0,
      error: undefined,
    });
    loadStore([...checkoutStream().messages, stream.batch()]);
    render(<SagasView />);
    const run = screen.getByRole('listitem', { name: 'fulfil-order run #8' });

    expect(run.textContent).toContain('took <1 ms');
  });

  it('focuses the run a link opened', () => {
    loadStore(checkoutStream().messages);
    inspectorStore.getState().openSagaRun(7);
    render(<SagasView />);

    expect(document.activeElement).toBe(
      screen.getByRole('listitem', { name: 'fulfil-order run #7' }),
    );
  });
});
