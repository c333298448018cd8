/** Header controls: pause, resume or clear the agent's recording, and the stats line. */
import type { RecordingResult } from '@sigscope/inspector-agent/protocol';
import { useState } from 'react';
import { selectConnection, selectSendCommand, selectStats } from '../store/selectors.js';
import { inspectorStore, useInspector } from '../store/store.js';

/** Reads `recording` out of a pause or resume ack. */
function recordingOf(result: unknown): boolean | undefined {
  if (typeof result !== 'object' || result === null || !('recording' in result)) return undefined;
  return (result as RecordingResult).recording === true;
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

  const dropped = stats
    ? stats.dropped.evicted + stats.dropped.overflow + stats.dropped.slowClient
    : 0;
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
      {stats ? (
        <span className="stats">
          {stats.emitsPerSecond.toFixed(0)} emits/s · buffer {stats.buffer.count.toLocaleString()}/
          {stats.buffer.maxCount.toLocaleString()} · dropped {dropped.toLocaleString()}
          {dropped > 0
            ? ` (evicted ${stats.dropped.evicted}, overflow ${stats.dropped.overflow}, slow client ${stats.dropped.slowClient})`
            : ''}
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
