import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/App.js';
import { inspectorStore } from '../../src/store/store.js';
import { loadStore } from '../fixtures/store.js';
import { checkoutStream, exportNdjson } from '../fixtures/stream.js';

describe('App', () => {
  it('names every tab', () => {
    loadStore(checkoutStream().messages);
    render(<App />);

    expect(screen.getAllByRole('tab').map((tab) => tab.textContent)).toEqual([
      'Graph',
      'Timeline',
      'Sync chains',
      'Breakers',
      'Limiters & stores',
      'Sagas',
      'Replay',
    ]);
    expect(screen.getByRole('tab', { name: 'Graph' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel', { name: 'Graph' })).toBeTruthy();
  });

  it('moves between tabs with arrow keys', async () => {
    const user = userEvent.setup();
    loadStore(checkoutStream().messages);
    render(<App />);
    await user.click(screen.getByRole('tab', { name: 'Limiters & stores' }));
    await user.keyboard('{ArrowRight}');

    expect(screen.getByRole('tab', { name: 'Sagas' })).toBe(document.activeElement);
    expect(screen.getByRole('tabpanel', { name: 'Sagas' })).toBeTruthy();

    await user.keyboard('{Home}');
    expect(screen.getByRole('tab', { name: 'Graph' }).getAttribute('aria-selected')).toBe('true');
  });

  it('shows app name, pid and connection status', () => {
    loadStore(checkoutStream().messages);
    render(<App />);

    expect(screen.getByText('checkout-service')).toBeTruthy();
    expect(screen.getByText('pid 4242')).toBeTruthy();
    expect(screen.getByRole('status', { name: 'Connection' }).textContent).toMatch(/connected/);
  });

  it('says offline recording while reconnecting', () => {
    loadStore(checkoutStream().messages);
    render(<App />);
    act(() => inspectorStore.getState().setConnection({ status: 'reconnecting', attempt: 2 }));

    expect(screen.getByRole('status', { name: 'Connection' }).textContent).toMatch(
      /reconnecting.*offline recording/,
    );
  });

  it('shows a rejected token clearly', () => {
    loadStore([], { connected: false });
    inspectorStore.getState().setConnection({ status: 'rejected', detail: 'the token is wrong' });
    render(<App />);

    expect(screen.getByRole('status', { name: 'Connection' }).textContent).toMatch(
      /token rejected/i,
    );
  });

  it('ends the rejection reason once', () => {
    loadStore([], { connected: false });
    inspectorStore
      .getState()
      .setConnection({ status: 'rejected', detail: 'the token is wrong or expired.' });
    render(<App />);
    const text = screen.getByRole('status', { name: 'Connection' }).textContent;

    expect(text).toContain('the token is wrong or expired. Open the URL');
    expect(text).not.toContain('..');
  });

  it('offers an import without a token', async () => {
    const user = userEvent.setup();
    loadStore([], { connected: false });
    inspectorStore.getState().setConnection({ status: 'no-token' });
    const { container } = render(<App />);
    const notice = screen.getByRole('region', { name: 'No agent connection' });
    const expected = 'No token in the URL: open the URL the app printed, or import a recording.';

    expect(notice.textContent).toContain(expected);
    expect(screen.getByRole('status', { name: 'Connection' }).textContent).toBe(
      `offline ${expected}`,
    );
    expect(screen.getByRole('button', { name: 'Import a recording' })).toBeTruthy();

    const { snapshot, messages } = checkoutStream();
    const file = new File([exportNdjson(snapshot, messages)], 'shop.ndjson');
    const input = container.querySelector<HTMLInputElement>('.no-agent input[type="file"]')!;
    await user.upload(input, file);

    await waitFor(() => expect(inspectorStore.getState().data.connection.status).toBe('imported'));
    expect(screen.queryByRole('region', { name: 'No agent connection' })).toBeNull();
    expect(inspectorStore.getState().data.emits.byId.size).toBeGreaterThan(0);
  });

  it('opens the file picker from the import button', async () => {
    const user = userEvent.setup();
    loadStore([], { connected: false });
    inspectorStore.getState().setConnection({ status: 'no-token' });
    const { container } = render(<App />);
    const input = container.querySelector<HTMLInputElement>('.no-agent input[type="file"]')!;
    let opened = 0;
    input.addEventListener('click', () => {
      opened += 1;
    });
    await user.click(screen.getByRole('button', { name: 'Import a recording' }));

    expect(opened).toBe(1);
  });

  it('shows an import error as an alert', async () => {
    const user = userEvent.setup();
    loadStore([], { connected: false });
    inspectorStore.getState().setConnection({ status: 'no-token' });
    const { container } = render(<App />);
    const input = container.querySelector<HTMLInputElement>('.no-agent input[type="file"]')!;
    await user.upload(input, new File(['{broken'], 'bad.ndjson'));

    expect((await screen.findByRole('alert')).textContent).toMatch(/^Import failed: /);
  });

  it('hides the import offer when connected', () => {
    loadStore(checkoutStream().messages);
    render(<App />);

    expect(screen.queryByRole('region', { name: 'No agent connection' })).toBeNull();
  });
});
