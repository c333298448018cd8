/**
 * Replay: pick recorded emits, optionally edit their payloads as JSON, send them to the live app.
 * Also export the recording to a file and import one to browse with no agent.
 */
import { type ChangeEvent, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatTime } from '../components/EmitDetail.js';
import { countOf } from '../store/listener-stats.js';
import type { EmitRecord } from '../store/model.js';
import { buildReplay, checkPayloadText, editableText, exportNdjsonOf } from '../store/replay.js';
import { selectImportedFileName, selectSendCommand } from '../store/selectors.js';
import { summarize } from '../store/serialized.js';
import { type InspectorStore, inspectorStore, useInspector } from '../store/store.js';

/** Recent emits offered in the picker. */
const PICKER_SIZE = 100;

const selectReplayState = (store: InspectorStore) => ({
  connection: store.data.connection,
  emits: store.data.emits,
  selection: store.ui.replaySelection,
  sendCommand: store.sendCommand,
});

function disabledReason(state: ReturnType<typeof selectReplayState>): string | undefined {
  if (state.connection.status === 'imported') {
    return 'Replay needs a live agent: this is an imported file.';
  }
  if (!state.sendCommand) return 'Replay needs a live agent connection.';
  if (!state.connection.replayAllowed) {
    return 'The agent does not allow replay. Start the inspector with allowReplay: true to replay emits into the app.';
  }
  return undefined;
}

function PayloadEditor(props: {
  emit: EmitRecord;
  text: string | undefined;
  onChange: (text: string | undefined) => void;
}) {
  const { emit, text, onChange } = props;
  const id = useId();
  const editable = editableText(emit);
  const check = text === undefined ? undefined : checkPayloadText(text);
  return (
    <li className="replay-item" aria-label={`Replay item emit #${emit.emitId}`}>
      <p>
        <strong>{emit.signalName}</strong> emit #{emit.emitId} at {formatTime(emit.startedAt)}{' '}
        {emit.replayOf !== undefined ? <span className="replay-badge">replay</span> : null}
        <button type="button" onClick={() => inspectorStore.getState().toggleReplay(emit.emitId)}>
          Remove emit #{emit.emitId}
        </button>
      </p>
      <label>
        <input
          type="checkbox"
          checked={text !== undefined}
          onChange={(event) => onChange(event.target.checked ? editable.text : undefined)}
        />{' '}
        Edit payload of emit #{emit.emitId}
      </label>
      {text === undefined ? (
        <p className="muted">Sends the recorded payload: {summarize(emit.payload?.preview, 160)}</p>
      ) : (
        <>
          {editable.reason ? (
            <p className="muted">Starts empty because {editable.reason}.</p>
          ) : null}
          <label htmlFor={id} className="editor-label">
            Payload JSON for emit #{emit.emitId}
          </label>
          <textarea
            id={id}
            className="json-editor"
            rows={8}
            spellCheck={false}
            value={text}
            aria-invalid={check?.ok === false}
            aria-describedby={check?.ok === false ? `${id}-error` : undefined}
            onChange={(event) => onChange(event.target.value)}
          />
          {check?.ok === false ? (
            <p id={`${id}-error`} role="alert" className="error-text">
              {check.message}
            </p>
          ) : null}
        </>
      )}
    </li>
  );
}

/** Reads a file as UTF-8 through FileReader, which every browser and jsdom provide. */
/** Reads a picked file as text; FileReader also works where `Blob.text` is missing, as in jsdom. */
export function readText(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsText(file);
  });
}

function ExportImport({ canExport }: { canExport: boolean }) {
  const sendCommand = useInspector(selectSendCommand);
  const importedFileName = useInspector(selectImportedFileName);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();

  const exportRecording = async () => {
    if (!sendCommand) return;
    try {
      const ndjson = exportNdjsonOf(await sendCommand({ type: 'export' }));
      const url = URL.createObjectURL(new Blob([ndjson], { type: 'application/x-ndjson' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `sigscope-${new Date().toISOString().replace(/[:.]/g, '-')}.ndjson`;
      link.click();
      URL.revokeObjectURL(url);
      setMessage({ kind: 'ok', text: 'Recording exported.' });
    } catch (error) {
      setMessage({ kind: 'error', text: `Export failed: ${(error as Error).message}` });
    }
  };

  const importFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    try {
      inspectorStore.getState().importRecording(await readText(file), file.name);
      setMessage({ kind: 'ok', text: `Imported ${file.name}.` });
    } catch (error) {
      setMessage({ kind: 'error', text: `Import failed: ${(error as Error).message}` });
    }
  };

  return (
    <section aria-label="Export and import" className="export-import">
      <h3>Export and import</h3>
      <button type="button" onClick={exportRecording} disabled={!canExport}>
        Export recording
      </button>{' '}
      <label>
        Import recording{' '}
        <input
          type="file"
          accept=".ndjson,.jsonl,application/x-ndjson,application/json"
          onChange={importFile}
        />
      </label>
      {importedFileName ? (
        <p>
          Browsing {importedFileName} offline.{' '}
          <button type="button" onClick={() => window.location.reload()}>
            Reconnect to the agent
          </button>
        </p>
      ) : null}
      {message ? (
        <p
          role={message.kind === 'error' ? 'alert' : 'status'}
          className={message.kind === 'error' ? 'error-text' : undefined}
        >
          {message.text}
        </p>
      ) : null}
    </section>
  );
}

export function ReplayView() {
  const state = useInspector(useShallow(selectReplayState));
  const [edits, setEdits] = useState<ReadonlyMap<number, string>>(new Map());
  const [keepTiming, setKeepTiming] = useState(false);
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const reason = disabledReason(state);

  const picked = state.selection
    .map((emitId) => state.emits.byId.get(emitId))
    .filter((emit): emit is EmitRecord => emit !== undefined);
  const drafts = picked.map((emit) => ({ emit, text: edits.get(emit.emitId) }));
  const plan = buildReplay(drafts, keepTiming);

  const recent: EmitRecord[] = [];
  for (
    let index = state.emits.timeline.length - 1;
    index >= 0 && recent.length < PICKER_SIZE;
    index--
  ) {
    const entry = state.emits.timeline[index]!;
    const emit = entry.kind === 'emit' ? state.emits.byId.get(entry.emitId) : undefined;
    if (emit) recent.push(emit);
  }

  const setEdit = (emitId: number, text: string | undefined) => {
    const next = new Map(edits);
    if (text === undefined) next.delete(emitId);
    else next.set(emitId, text);
    setEdits(next);
  };

  const send = async () => {
    if (!plan.ok || !state.sendCommand) return;
    setResult(undefined);
    try {
      await state.sendCommand(plan.command);
      setResult({
        kind: 'ok',
        text: `Replayed ${countOf(plan.command.items.length, 'emit')}; they show as "replay" in every view.`,
      });
    } catch (error) {
      setResult({ kind: 'error', text: `Replay failed: ${(error as Error).message}` });
    }
  };

  return (
    <section className="replay-view" aria-label="Replay">
      {reason ? (
        <p className="notice" role="note">
          {reason}
        </p>
      ) : null}
      <div className="replay-columns">
        <section aria-label="Recorded emits">
          <h3>Recorded emits</h3>
          {recent.length === 0 ? <p className="empty">No emits recorded yet.</p> : null}
          <ul className="replay-picker">
            {recent.map((emit) => (
              <li key={emit.emitId}>
                <label>
                  <input
                    type="checkbox"
                    checked={state.selection.includes(emit.emitId)}
                    onChange={() => inspectorStore.getState().toggleReplay(emit.emitId)}
                    aria-label={`Select emit #${emit.emitId} ${emit.signalName}`}
                  />{' '}
                  <strong>{emit.signalName}</strong> emit #{emit.emitId}
                </label>{' '}
                <span className={`status-badge status-${emit.status}`}>{emit.status}</span>
                {emit.replayOf !== undefined ? <span className="replay-badge">replay</span> : null}{' '}
                <span className="muted">{summarize(emit.payload?.preview, 80)}</span>
              </li>
            ))}
          </ul>
        </section>
        <section aria-label="Replay plan">
          <h3>To replay, in order</h3>
          {picked.length === 0 ? (
            <p className="muted">Pick emits here or with "Add to replay" in the timeline.</p>
          ) : null}
          <ol className="replay-items">
            {drafts.map((draft) => (
              <PayloadEditor
                key={draft.emit.emitId}
                emit={draft.emit}
                text={draft.text}
                onChange={(text) => setEdit(draft.emit.emitId, text)}
              />
            ))}
          </ol>
          <label>
            <input
              type="checkbox"
              checked={keepTiming}
              onChange={(event) => setKeepTiming(event.target.checked)}
            />{' '}
            Keep recorded timing
          </label>{' '}
          <button type="button" onClick={send} disabled={!plan.ok || reason !== undefined}>
            Send replay
          </button>
          {!plan.ok && picked.length > 0 ? <p className="error-text">{plan.message}</p> : null}
          {result ? (
            <p
              role={result.kind === 'error' ? 'alert' : 'status'}
              className={result.kind === 'error' ? 'error-text' : undefined}
            >
              {result.text}
            </p>
          ) : null}
        </section>
      </div>
      <ExportImport canExport={state.sendCommand !== undefined} />
    </section>
  );
}
