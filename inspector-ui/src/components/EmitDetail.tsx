/** The timeline's detail pane for one emit: payload, listener spans, errors, parent and children. */

import { formatDuration } from '../store/listener-stats.js';
import type { EmitRecord, GraphSlice, ListenerSpan } from '../store/model.js';
import { selectEmits, selectGraph, selectReplaySelection } from '../store/selectors.js';
import { inspectorStore, useInspector } from '../store/store.js';
import { CapturedValueView } from './CapturedValueView.js';
import { ErrorView } from './ErrorView.js';

export function formatTime(ts: number): string {
  const date = new Date(ts);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

export function listenerName(graph: GraphSlice, listenerId: number): string {
  const listener = graph.listeners.get(listenerId);
  if (!listener) return `listener #${listenerId}`;
  return listener.key ? `${listener.functionName} [${listener.key}]` : listener.functionName;
}

function EmitLink({ emitId, label }: { emitId: number; label: string }) {
  const emits = useInspector(selectEmits);
  const emit = emits.byId.get(emitId);
  return (
    <button
      type="button"
      className="link-button"
      disabled={!emit}
      title={emit ? undefined : 'This emit is no longer in the recording'}
      onClick={() => inspectorStore.getState().selectEmit(emitId)}
    >
      {label} #{emitId}
      {emit ? ` (${emit.signalName})` : ' (evicted)'}
    </button>
  );
}

function SpanItem({ span, graph }: { span: ListenerSpan; graph: GraphSlice }) {
  return (
    <li className={`span-item span-${span.status}`}>
      <span className={`status-badge status-${span.status}`}>{span.status}</span>{' '}
      {listenerName(graph, span.listenerId)}{' '}
      <span className="muted">{formatDuration(span.durationMs)}</span>
      {span.error ? (
        <ErrorView error={span.error} label={`Error of ${listenerName(graph, span.listenerId)}`} />
      ) : null}
    </li>
  );
}

export function EmitDetail({ emit }: { emit: EmitRecord }) {
  const graph = useInspector(selectGraph);
  const replaySelection = useInspector(selectReplaySelection);
  const picked = replaySelection.includes(emit.emitId);

  return (
    <aside className="emit-detail" aria-label="Emit details">
      <h2>
        {emit.signalName} <span className="muted">emit #{emit.emitId}</span>
      </h2>
      <p>
        <span className={`status-badge status-${emit.status}`}>{emit.status}</span>{' '}
        {emit.replayOf !== undefined ? <span className="replay-badge">replay</span> : null}{' '}
        {emit.mode} emit at {formatTime(emit.startedAt)}, took {formatDuration(emit.durationMs)},
        seq {emit.seq}
      </p>
      <p className="detail-actions">
        <button
          type="button"
          onClick={() => inspectorStore.getState().toggleReplay(emit.emitId)}
          aria-pressed={picked}
        >
          {picked ? 'Remove from replay' : 'Add to replay'}
        </button>
        {emit.mode === 'try' ? (
          <button type="button" onClick={() => inspectorStore.getState().openChain(emit.emitId)}>
            Open chain of emit #{emit.emitId}
          </button>
        ) : null}
        {emit.replayOf !== undefined ? (
          <EmitLink emitId={emit.replayOf} label="Replay of emit" />
        ) : null}
      </p>

      <h3>Payload</h3>
      <CapturedValueView value={emit.payload} label="Payload" />

      <h3>Listeners</h3>
      {emit.spans.length === 0 ? (
        <p className="muted">This emit ran no listeners.</p>
      ) : (
        <ol className="span-list" aria-label="Listener spans">
          {emit.spans.map((span) => (
            <SpanItem key={`${span.index}:${span.listenerId}`} span={span} graph={graph} />
          ))}
        </ol>
      )}
      {emit.chain && emit.chain.outcome !== 'ok' && emit.chain.error ? (
        <>
          <h3>Chain {emit.chain.outcome === 'aborted' ? 'abort reason' : 'error'}</h3>
          <ErrorView error={emit.chain.error} label="Chain error" />
        </>
      ) : null}

      <h3>Causality</h3>
      <ul className="causality" aria-label="Related emits">
        {emit.parentEmitId !== undefined ? (
          <li>
            <EmitLink emitId={emit.parentEmitId} label="Parent emit" />
          </li>
        ) : (
          <li className="muted">No parent: started outside any listener.</li>
        )}
        {emit.childEmitIds.map((childId) => (
          <li key={childId}>
            <EmitLink emitId={childId} label="Child emit" />
          </li>
        ))}
      </ul>
    </aside>
  );
}
