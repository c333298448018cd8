/** Every `tryEmit` chain with its listeners in order, the failing one highlighted, the rest explained. */
import { useState } from 'react';
import { EmitDetail, formatTime, listenerName } from '../components/EmitDetail.js';
import { ErrorView, errorSummary } from '../components/ErrorView.js';
import { formatDuration } from '../store/listener-stats.js';
import type { EmitRecord, GraphSlice, ListenerSpan } from '../store/model.js';
import { selectEmits, selectFilters, selectGraph } from '../store/selectors.js';
import { useInspector } from '../store/store.js';

/** Chains rendered at first; "Show more" adds this many each time. */
const PAGE_SIZE = 100;

/** Returns why a listener of a finished chain did not run, in one sentence. */
export function skipReason(emit: EmitRecord, graph: GraphSlice): string {
  const chain = emit.chain;
  if (!chain) return 'not run yet';
  const failed =
    chain.failedListenerId === undefined
      ? 'a listener'
      : listenerName(graph, chain.failedListenerId);
  const position = chain.failedIndex === undefined ? '' : ` at position ${chain.failedIndex + 1}`;
  if (chain.outcome === 'aborted') {
    return `skipped because the chain was aborted while ${failed}${position} was pending${chain.error ? `: ${errorSummary(chain.error)}` : ''}`;
  }
  return `skipped because ${failed}${position} failed`;
}

function ChainListener({
  span,
  emit,
  graph,
}: {
  span: ListenerSpan;
  emit: EmitRecord;
  graph: GraphSlice;
}) {
  const name = listenerName(graph, span.listenerId);
  const failing = emit.chain?.failedListenerId === span.listenerId && span.status !== 'ok';
  return (
    <li
      className={`chain-listener span-${span.status}${failing ? ' is-failing' : ''}`}
      aria-label={`${name}: ${span.status}`}
    >
      <span className="chain-position">{span.index + 1}.</span>{' '}
      <span className={`status-badge status-${span.status}`}>{span.status}</span>{' '}
      <strong>{name}</strong> <span className="muted">{formatDuration(span.durationMs)}</span>
      {span.status === 'skipped' ? <p className="skip-reason">{skipReason(emit, graph)}</p> : null}
      {span.status === 'aborted' ? (
        <p className="skip-reason">aborted while this listener was pending</p>
      ) : null}
      {span.error ? <ErrorView error={span.error} label={`Error of ${name}`} /> : null}
    </li>
  );
}

function Chain({
  emit,
  graph,
  onOpen,
}: {
  emit: EmitRecord;
  graph: GraphSlice;
  onOpen: () => void;
}) {
  const outcome = emit.chain?.outcome ?? 'running';
  const label = `Chain ${emit.signalName} #${emit.emitId}`;
  return (
    <li className={`chain chain-${outcome}`}>
      <article aria-label={label}>
        <h3>
          {emit.signalName} <span className="muted">#{emit.emitId}</span>{' '}
          <span className={`status-badge status-${outcome}`}>{outcome}</span>
          {emit.replayOf !== undefined ? <span className="replay-badge">replay</span> : null}
        </h3>
        <p className="muted">
          {formatTime(emit.startedAt)} · {formatDuration(emit.chain?.durationMs ?? emit.durationMs)}{' '}
          ·{' '}
          <button type="button" className="link-button" onClick={onOpen}>
            Details of emit #{emit.emitId}
          </button>
        </p>
        <ol className="chain-listeners" aria-label={`Listeners of ${label}`}>
          {emit.spans.map((span) => (
            <ChainListener
              key={`${span.index}:${span.listenerId}`}
              span={span}
              emit={emit}
              graph={graph}
            />
          ))}
        </ol>
      </article>
    </li>
  );
}

export function ChainsView() {
  const emits = useInspector(selectEmits);
  const graph = useInspector(selectGraph);
  const filters = useInspector(selectFilters);
  const [limit, setLimit] = useState(PAGE_SIZE);
  const [openEmitId, setOpenEmitId] = useState<number | undefined>();

  const chains: EmitRecord[] = [];
  for (let index = emits.chainIds.length - 1; index >= 0 && chains.length < limit; index--) {
    const emit = emits.byId.get(emits.chainIds[index]!);
    if (!emit) continue;
    if (filters.signalId !== undefined && emit.signalId !== filters.signalId) continue;
    if (
      filters.listenerId !== undefined &&
      !emit.spans.some((span) => span.listenerId === filters.listenerId)
    )
      continue;
    chains.push(emit);
  }
  const open = openEmitId === undefined ? undefined : emits.byId.get(openEmitId);

  return (
    <section className="chains-view" aria-label="Sync chains">
      {filters.signalId !== undefined || filters.listenerId !== undefined ? (
        <p className="muted">Showing chains of the node selected in the graph.</p>
      ) : null}
      {chains.length === 0 ? (
        <p className="empty">No tryEmit chains recorded yet.</p>
      ) : (
        <ol className="chain-list" aria-label="Chains, newest first">
          {chains.map((emit) => (
            <Chain
              key={emit.emitId}
              emit={emit}
              graph={graph}
              onOpen={() => setOpenEmitId(emit.emitId)}
            />
          ))}
        </ol>
      )}
      {chains.length >= limit ? (
        <button type="button" onClick={() => setLimit(limit + PAGE_SIZE)}>
          Show more chains
        </button>
      ) : null}
      {open ? <EmitDetail emit={open} /> : null}
    </section>
  );
}
