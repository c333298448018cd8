/** Every `tryEmit` chain with its listeners in order, the failing one highlighted, the rest explained. */
import { useEffect, useState } from 'react';
import { EmitDetail, formatTime, listenerName } from '../components/EmitDetail.js';
import { ErrorView, errorSummary } from '../components/ErrorView.js';
import { formatDuration } from '../store/listener-stats.js';
import type { EmitRecord, GraphSlice, ListenerSpan } from '../store/model.js';
import { visibleChains } from '../store/run-lists.js';
import {
  selectEmits,
  selectFilters,
  selectGraph,
  selectLinkedChainEmitId,
} from '../store/selectors.js';
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

/** The element id of a chain's article, which a timeline link scrolls to. */
export const chainAnchor = (emitId: number) => `chain-${emitId}`;

function Chain({
  emit,
  graph,
  linked,
  onOpen,
}: {
  emit: EmitRecord;
  graph: GraphSlice;
  linked: boolean;
  onOpen: () => void;
}) {
  const outcome = emit.chain?.outcome ?? 'running';
  const label = `Chain ${emit.signalName} #${emit.emitId}`;
  return (
    <li className={`chain chain-${outcome}${linked ? ' is-linked' : ''}`}>
      <article aria-label={label} id={chainAnchor(emit.emitId)} tabIndex={-1}>
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

  const linkedEmitId = useInspector(selectLinkedChainEmitId);
  const [failedOnly, setFailedOnly] = useState(false);
  const chains = visibleChains(emits, filters, { failedOnly, limit, linkedEmitId });

  // A timeline link names a chain: bring it into view once, and move the focus to it.
  useEffect(() => {
    if (linkedEmitId === undefined) return;
    const article = document.getElementById(chainAnchor(linkedEmitId));
    article?.scrollIntoView?.({ block: 'center' });
    article?.focus();
  }, [linkedEmitId]);
  const open = openEmitId === undefined ? undefined : emits.byId.get(openEmitId);

  return (
    <section className="chains-view" aria-label="Sync chains">
      <div className="list-filters">
        <label title="Chains whose tryEmit failed or was aborted">
          <input
            type="checkbox"
            checked={failedOnly}
            onChange={(event) => setFailedOnly(event.target.checked)}
          />{' '}
          Failed only
        </label>
      </div>
      {filters.signalId !== undefined || filters.listenerId !== undefined ? (
        <p className="muted">Showing chains of the node selected in the graph.</p>
      ) : null}
      {chains.length === 0 ? (
        <p className="empty">
          {failedOnly ? 'No failed or aborted chains.' : 'No tryEmit chains recorded yet.'}
        </p>
      ) : (
        <ol className="chain-list" aria-label="Chains, newest first">
          {chains.map((emit) => (
            <Chain
              key={emit.emitId}
              emit={emit}
              graph={graph}
              linked={emit.emitId === linkedEmitId}
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
