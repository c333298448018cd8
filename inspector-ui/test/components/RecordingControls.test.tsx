import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { RecordingControls } from '../../src/components/RecordingControls.js';
import type { CommandRequest } from '../../src/store/store.js';
import { inspectorStore } from '../../src/store/store.js';
import { loadStore } from '../fixtures/store.js';
import { checkoutStream } from '../fixtures/stream.js';

describe('RecordingControls', () => {
  it('pauses recording and shows the new state', async () => {
    const user = userEvent.setup();
    loadStore(checkoutStream().messages);
    const sender = vi.fn(
      async (_command: CommandRequest): Promise<unknown> => ({ recording: false }),
    );
    inspectorStore.getState().setCommandSender(sender);
    render(<RecordingControls />);
    await user.click(screen.getByRole('button', { name: 'Pause recording' }));

    expect(sender).toHaveBeenCalledWith({ type: 'pause' });
    expect(await screen.findByRole('button', { name: 'Resume recording' })).toBeTruthy();
  });

  it('clears the agent and the local data', async () => {
    const user = userEvent.setup();
    loadStore(checkoutStream().messages);
    const sender = vi.fn(
      async (_command: CommandRequest): Promise<unknown> => ({ recording: true }),
    );
    inspectorStore.getState().setCommandSender(sender);
    render(<RecordingControls />);
    await user.click(screen.getByRole('button', { name: 'Clear recording' }));

    expect(sender).toHaveBeenCalledWith({ type: 'clear' });
    await waitFor(() => expect(inspectorStore.getState().data.emits.byId.size).toBe(0));
    expect(inspectorStore.getState().data.connection.status).toBe('connected');
  });
});
