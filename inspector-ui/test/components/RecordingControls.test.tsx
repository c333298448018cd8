import type { StatsMessage } from '@sigscope/inspector-agent/protocol';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { describeStats, RecordingControls } from '../../src/components/RecordingControls.js';
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

  it('shows the stats on one line with a title', () => {
    loadStore([...checkoutStream().messages, stats({ evicted: 5402 })]);
    render(<RecordingControls />);
    const line = screen.getByTitle(/emits\/s/);

    expect(line.textContent).toBe(line.getAttribute('title'));
    expect(line.textContent).toContain('oldest evicted 5,402');
  });
});

function stats(dropped: Partial<StatsMessage['dropped']> = {}): StatsMessage {
  return {
    type: 'stats',
    eventsPerSecond: 300,
    emitsPerSecond: 120,
    totalEvents: 15402,
    dropped: { evicted: 0, overflow: 0, slowClient: 0, ...dropped },
    buffer: { count: 10000, bytes: 1_000_000, maxCount: 10000, maxBytes: 8_000_000 },
    clients: 1,
    recording: true,
  };
}

describe('describeStats', () => {
  it('shows eviction apart from drops', () => {
    const text = describeStats(stats({ evicted: 5402 }));

    expect(text).toBe('120 emits/s · buffer 10,000/10,000, full: oldest evicted 5,402 · dropped 0');
  });

  it('sums overflow and slow client drops', () => {
    const text = describeStats(stats({ overflow: 3, slowClient: 1200 }));

    expect(text).toBe(
      '120 emits/s · buffer 10,000/10,000 · dropped 1,203 (queue overflow 3, slow client 1,200)',
    );
  });
});
