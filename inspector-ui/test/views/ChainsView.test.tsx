import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { inspectorStore } from '../../src/store/store.js';
import { ChainsView } from '../../src/views/ChainsView.js';
import { loadStore } from '../fixtures/store.js';
import { checkoutStream } from '../fixtures/stream.js';

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
});
