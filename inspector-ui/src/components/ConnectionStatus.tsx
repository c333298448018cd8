/** The header's connection line: status, app name and pid, recording state. */
import { useShallow } from 'zustand/react/shallow';
import type { ConnectionSlice } from '../store/model.js';
import { useInspector } from '../store/store.js';

/** The status text of a page opened without a token, also the heading of its empty state. */
export const NO_TOKEN_TEXT =
  'No token in the URL: open the URL the app printed, or import a recording.';

/** Returns the status sentence a person reads, such as "Connected". */
export function describeConnection(connection: ConnectionSlice): { label: string; text: string } {
  const detail = connection.detail ? ` ${connection.detail}` : '';
  switch (connection.status) {
    case 'idle':
      return { label: 'idle', text: 'Not connected.' };
    case 'connecting':
      return { label: 'connecting', text: 'Connecting to the agent…' };
    case 'connected':
      return {
        label: 'connected',
        text: connection.recording ? 'Connected, recording.' : 'Connected, recording paused.',
      };
    case 'reconnecting':
      return {
        label: 'reconnecting',
        text: `Reconnecting (attempt ${connection.attempt}): offline recording, the agent keeps recording while the UI is away and the history is backfilled on reconnect.${detail}`,
      };
    case 'offline':
      return {
        label: 'offline',
        text: `Offline: the agent keeps recording while the UI is away.${detail}`,
      };
    case 'no-token':
      return { label: 'offline', text: NO_TOKEN_TEXT };
    case 'rejected':
      return {
        label: 'token rejected',
        // The agent's close reason may end with its own period.
        text: `Token rejected: ${(connection.detail ?? 'the agent refused the connection').replace(/\.$/, '')}. Open the URL the agent printed, with its current #token=…`,
      };
    case 'incompatible':
      return { label: 'incompatible', text: `Incompatible agent: ${connection.detail ?? ''}` };
    case 'imported':
      return {
        label: 'offline: imported file',
        text: `Offline: imported file ${connection.detail ?? ''}. Browsing a recording with no agent.`,
      };
  }
}

const selectHeader = (store: { data: { connection: ConnectionSlice } }) => store.data.connection;

export function ConnectionStatus() {
  const connection = useInspector(useShallow(selectHeader));
  const { label, text } = describeConnection(connection);
  return (
    <div className="connection">
      {connection.app ? (
        <span className="app-identity">
          <strong>{connection.app.name}</strong>{' '}
          <span className="muted">pid {connection.app.pid}</span>
        </span>
      ) : null}
      <div role="status" aria-label="Connection" className={`status status-${connection.status}`}>
        <span className="status-badge">{label}</span>{' '}
        <span className="status-text" title={text}>
          {text}
        </span>
      </div>
    </div>
  );
}
