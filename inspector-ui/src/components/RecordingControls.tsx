/** Header controls: pause, resume or clear the agent's recording, and the stats line. */
import type { RecordingResult, StatsMessage } from '@sigscope/inspector-agent/protocol';
import { useState } from 'react';
import { selectConnection, selectSendCommand, selectStats } from '../store/selectors.js';
import { inspectorStore, useInspector } from '../store/store.js';

/** Reads `recording` out of a pause or resume ack. */
function recordingOf(result: unknown): boolean | undefined {
  if (typeof result !== 'object' || result === null || !('recording' in result)) return undefined;
  return (result as RecordingResult).recording === true;
}

/**
 * Describes the agent's stats for the header. Ring-buffer eviction is normal once the buffer is
 * full, so it is shown apart from drops, which are events this page never gets: `overflow` was
 * never recorded, and `slowClient` was recorded but not sent to this page.
 *
 * @example
 * describeStats(stats);
 * // '120 emits/s · buffer 10,000/10,000, full: oldest evicted 5,402 · dropped 0'
 */
export function describeStats(stats: StatsMessage): string {
  const { buffer, dropped } = stats;
  const rate = `${stats.emitsPerSecond.toFixed(0)} emits/s`;
  const evicted =
    dropped.evicted > 0 ? `, full: oldest evicted ${dropped.evicted.toLocaleString()}` : '';
  const bufferText = `buffer ${buffer.count.toLocaleString()}/${buffer.maxCount.toLocaleString()}${evicted}`;

  const lost = dropped.overflow + dropped.slowClient;
  const lostDetail =
    lost > 0
      ? ` (queue overflow ${dropped.overflow.toLocaleString()}, slow client ${dropped.slowClient.toLocaleString()})`
      : '';
  return `${rate} · ${bufferText} · dropped ${lost.toLocaleString()}${lostDetail}`;
}

export function RecordingControls() {
  const connection = useInspector(selectConnection);
  const stats = useInspector(selectStats);
  const sendCommand = useInspector(selectSendCommand);
  const [error, setError] = useState<string | undefined>();

  const toggle = async () => {
    if (!sendCommand) return;
    setError(undefined);
    try {
      const result = await sendCommand({ type: connection.recording ? 'pause' : 'resume' });
      const recording = recordingOf(result);
      if (recording !== undefined) inspectorStore.getState().setConnection({ recording });
    } catch (caught) {
      setError((caught as Error).message);
    }
  };

  const clear = async () => {
    if (!sendCommand) return;
    setError(undefined);
    try {
      await sendCommand({ type: 'clear' });
      inspectorStore.getState().clearData();
    } catch (caught) {
      setError((caught as Error).message);
    }
  };

  const statsText = stats ? describeStats(stats) : undefined;
  return (
    <div className="recording-controls">
      {connection.status === 'connected' ? (
        <button type="button" onClick={toggle} disabled={!sendCommand}>
          {connection.recording ? 'Pause recording' : 'Resume recording'}
        </button>
      ) : null}
      {connection.status === 'connected' ? (
        <button type="button" onClick={clear} disabled={!sendCommand}>
          Clear recording
        </button>
      ) : null}
      {statsText ? (
        // One line however long: the full text stays readable as the title.
        <span className="stats" title={statsText}>
          {statsText}
        </span>
      ) : null}
      {error ? (
        <span role="alert" className="error-text">
          {error}
        </span>
      ) : null}
    </div>
  );
}
