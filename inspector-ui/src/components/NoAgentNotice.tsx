/**
 * The empty state of a page opened without a token. It tells how to reach the agent and offers
 * to import a recording, so the page is useful with no agent running.
 */
import { type ChangeEvent, useRef, useState } from 'react';
import { selectConnection } from '../store/selectors.js';
import { inspectorStore, useInspector } from '../store/store.js';
import { readText } from '../views/ReplayView.js';
import { NO_TOKEN_TEXT } from './ConnectionStatus.js';

export function NoAgentNotice() {
  const connection = useInspector(selectConnection);
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | undefined>();
  if (connection.status !== 'no-token') return null;

  const importFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    setError(undefined);
    try {
      inspectorStore.getState().importRecording(await readText(file), file.name);
    } catch (caught) {
      setError(`Import failed: ${(caught as Error).message}`);
    }
  };

  return (
    <section className="no-agent" aria-label="No agent connection">
      <p className="no-agent-text">{NO_TOKEN_TEXT}</p>
      <p className="muted">
        A recording is an <code>.ndjson</code> file exported from the Replay tab or the agent's HTTP
        export.
      </p>
      <button type="button" className="primary" onClick={() => input.current?.click()}>
        Import a recording
      </button>
      {/* The button opens this input, so the input stays out of the accessibility tree. */}
      <input
        ref={input}
        type="file"
        hidden
        aria-hidden="true"
        tabIndex={-1}
        accept=".ndjson,.jsonl,application/x-ndjson,application/json"
        onChange={importFile}
      />
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
    </section>
  );
}
