import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { inspectorStore } from '../../src/store/store.js';
import { ChainsView } from '../../src/views/ChainsView.js';
import { loadStore } from '../fixtures/store.js';
import { checkoutStream, okEmit, StreamBuilder } from '../fixtures/stream.js';

describe('ChainsView', () => {
  it('lists listeners in order with their status', () => {
    loadStore(checkoutStream().messages);
    render(<ChainsView />);
    const list = screen.getByRole('list', { name: 'Listeners of Chain inventory.reserve #102' });
    const items = within(list)
      .getAllByRole('listitem')
      .filter((item) => item.parentElement === list);

    expect(items.map((item) => item.getAttribute('aria-label'))).toEqual([
      'validateStock [validate]: ok',
      'reserveStock [reserve]: failed',
      'notifyWarehouse [notify]: skipped',
    ]);
  });

  it('highlights the failing listener with its error', () => {
    loadStore(checkoutStream().messages);
    render(<ChainsView />);
    const failing = screen.getByRole('listitem', { name: 'reserveStock [reserve]: failed' });

    expect(failing.className).toContain('is-failing');
    expect(within(failing).getByText('Error: out of stock: SKU-9')).toBeTruthy();
  });

  it('explains why the rest were skipped', () => {
    loadStore(checkoutStream().messages);
    render(<ChainsView />);
    const skipped = screen.getByRole('listitem', { name: 'notifyWarehouse [notify]: skipped' });

    expect(skipped.textContent).toContain(
      'skipped because reserveStock [reserve] at position 2 failed',
    );
  });

  it('shows the chain outcome and duration', () => {
    loadStore(checkoutStream().messages);
    render(<ChainsView />);
    const chain = screen.getByRole('article', { name: 'Chain inventory.reserve #102' });

    expect(within(chain).getByRole('heading').textContent).toContain('failed');
    expect(chain.textContent).toContain('5.0 ms');
  });

  it('follows the graph selection', () => {
    loadStore(checkoutStream().messages);
    inspectorStore.getState().selectNode('signal:1');
    render(<ChainsView />);

    expect(screen.queryByRole('article')).toBeNull();
  });

  it('shows failed chains only on request', () => {
    const stream = new StreamBuilder(10_000);
    okEmit(stream, {
      emitId: 200,
      signalId: 3,
      signalName: 'inventory.reserve',
      listenerIds: [],
      mode: 'try',
    });
    loadStore([...checkoutStream().messages, stream.batch()]);
    render(<ChainsView />);
    const chains = () =>
      within(screen.getByRole('list', { name: 'Chains, newest first' }))
        .getAllByRole('article')
        .map((article) => article.getAttribute('aria-label'));
    expect(chains()).toEqual(['Chain inventory.reserve #200', 'Chain inventory.reserve #102']);

    fireEvent.click(screen.getByRole('checkbox', { name: 'Failed only' }));

    expect(chains()).toEqual(['Chain inventory.reserve #102']);
  });

  it('focuses the chain a link opened', () => {
    loadStore(checkoutStream().messages);
    inspectorStore.getState().openChain(102);
    render(<ChainsView />);
    const chain = screen.getByRole('article', { name: 'Chain inventory.reserve #102' });

    expect(document.activeElement).toBe(chain);
    expect(chain.parentElement?.className).toContain('is-linked');
  });
});
