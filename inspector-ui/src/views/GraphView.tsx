/**
 * The live graph: signals and listeners as nodes, signal-to-listener and causal edges, laid out
 * by dagre once per structural change. Selecting a node filters the other views.
 */
import {
  Background,
  Controls,
  type Edge,
  Handle,
  MiniMap,
  type NodeMouseHandler,
  type NodeProps,
  Position,
  ReactFlow,
  ReactFlowProvider,
  type ReactFlowState,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import {
  createContext,
  type KeyboardEvent,
  memo,
  type ReactNode,
  useContext,
  useEffect,
  useMemo,
  useRef,
} from 'react';
import {
  buildEdges,
  buildNodes,
  describeListener,
  type GraphNode,
  keepUnchangedEdges,
  keepUnchangedNodes,
  type ListenerNode,
  listenerLabel,
  type SignalNode,
} from '../graph/graph-model.js';
import { useLayout } from '../graph/use-layout.js';
import { useNow, useThrottled } from '../hooks.js';
import { countOf, formatDuration } from '../store/listener-stats.js';
import type { ConnectionSlice } from '../store/model.js';
import { selectConnection, selectGraph, selectSelectedNodeId } from '../store/selectors.js';
import { inspectorStore, useInspector } from '../store/store.js';

/** Below this zoom, nodes show only their name, because 12px details would be unreadable. */
const DETAIL_MIN_ZOOM = 0.7;

const DetailMinZoom = createContext(DETAIL_MIN_ZOOM);

/** Returns whether the graph is zoomed out below the detail threshold. */
function useZoomedOut(): boolean {
  const threshold = useContext(DetailMinZoom);
  return useStore((state: ReactFlowState) => state.transform[2] < threshold);
}

/** Lets a dotted name such as `order.fulfilment.stepStarted` wrap after its dots. */
function breakAfterDots(name: string): ReactNode[] {
  const parts = name.split('.');
  let prefix = '';
  return parts.flatMap((part, index) => {
    if (index === parts.length - 1) return [part];
    prefix += `${part}.`;
    // The prefix up to this dot is unique within the name, so it serves as the key.
    return [`${part}.`, <wbr key={prefix} />];
  });
}

function CompactNode({
  kind,
  title,
  tooltip,
  className,
  children,
}: {
  kind: string;
  title: string;
  /** The node's full description, shown on hover. */
  tooltip: string;
  className: string;
  children?: ReactNode;
}) {
  return (
    <div className={`graph-node is-compact ${className}`} title={tooltip}>
      <Handle type="target" position={Position.Left} />
      <div className="node-title">
        <span className={`kind-badge kind-${kind}`}>{kind}</span> {breakAfterDots(title)}
        {children}
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

function LeakWarning({ listenerCount, compact }: { listenerCount: number; compact: boolean }) {
  return (
    <span className="leak-warning" role="img" aria-label="Possible listener leak">
      {compact ? ' ⚠' : `⚠ listener count keeps growing (${listenerCount}): possible leak`}
    </span>
  );
}

/** Rate limiter drops and event store appends, shown only when there are some. */
function PatternCounters({ data }: { data: SignalNode['data'] }) {
  if (data.dropped === 0 && data.appended === 0) return null;
  return (
    <div className="node-meta">
      {data.dropped > 0 ? (
        <span className="error-badge" title="Emits the rate limiter rejected with a full queue">
          {data.dropped} dropped
        </span>
      ) : null}
      {data.dropped > 0 && data.appended > 0 ? ' · ' : null}
      {data.appended > 0 ? <span>{data.appended} appended</span> : null}
    </div>
  );
}

function signalTooltip(data: SignalNode['data']): string {
  return data.owner ? `${data.name}, owned by ${data.owner.kind} ${data.owner.name}` : data.name;
}

const SignalNodeView = memo(function SignalNodeView({ data, selected }: NodeProps<SignalNode>) {
  const zoomedOut = useZoomedOut();
  const state = `${data.active ? ' is-active' : ''}${selected ? ' is-selected' : ''}`;
  if (zoomedOut) {
    return (
      <CompactNode
        kind={data.kind}
        title={data.name}
        tooltip={signalTooltip(data)}
        className={`signal-node${state}`}
      >
        {data.failedEmits + data.dropped > 0 ? (
          <span className="error-badge"> {data.failedEmits + data.dropped}✗</span>
        ) : null}
        {data.leakSuspected ? <LeakWarning listenerCount={data.listenerCount} compact /> : null}
      </CompactNode>
    );
  }
  return (
    <div className={`graph-node signal-node${state}`} title={signalTooltip(data)}>
      <Handle type="target" position={Position.Left} />
      <div className="node-title">
        <span className={`kind-badge kind-${data.kind}`}>{data.kind}</span> {data.name}
      </div>
      <div className="node-meta">
        {countOf(data.emits, 'emit')} · {countOf(data.listenerCount, 'listener')}
        {data.failedEmits > 0 ? (
          <span
            className="error-badge"
            title={`${countOf(data.failedEmits, 'emit')} had a failing listener`}
          >
            {' '}
            {data.failedEmits} failed
          </span>
        ) : null}
      </div>
      <PatternCounters data={data} />
      {data.owner ? (
        <div className="node-meta muted">
          {data.owner.kind} {data.owner.name}
        </div>
      ) : null}
      {data.leakSuspected ? (
        <div>
          <LeakWarning listenerCount={data.listenerCount} compact={false} />
        </div>
      ) : null}
      <Handle type="source" position={Position.Right} />
    </div>
  );
});

const ListenerNodeView = memo(function ListenerNodeView({
  data,
  selected,
}: NodeProps<ListenerNode>) {
  const { stats } = data;
  const zoomedOut = useZoomedOut();
  if (zoomedOut) {
    const state = `${data.active ? ' is-active' : ''}${selected ? ' is-selected' : ''}`;
    return (
      <CompactNode
        kind={data.kind}
        title={listenerLabel(data)}
        tooltip={describeListener(data, data.signalName)}
        className={`listener-node${state}`}
      >
        {stats.failures > 0 ? (
          <span className="error-badge"> {(stats.errorRate * 100).toFixed(0)}%✗</span>
        ) : null}
      </CompactNode>
    );
  }
  return (
    <div
      className={`graph-node listener-node${data.active ? ' is-active' : ''}${selected ? ' is-selected' : ''}`}
      title={describeListener(data, data.signalName)}
    >
      <Handle type="target" position={Position.Left} />
      <div className="node-title">
        <span className={`kind-badge kind-${data.kind}`}>{data.kind}</span> {data.functionName}
        {data.key ? <span className="muted"> [{data.key}]</span> : null}
      </div>
      {data.location ? <div className="node-meta muted">{data.location}</div> : null}
      <div className="node-meta">
        {countOf(stats.calls, 'call')} · p50 {formatDuration(stats.p50)} · p99{' '}
        {formatDuration(stats.p99)}
        {stats.failures > 0 ? (
          <span className="error-badge" title={`${stats.failures} of ${stats.calls} calls failed`}>
            {' '}
            {(stats.errorRate * 100).toFixed(1)}% errors
          </span>
        ) : null}
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
});

const nodeTypes = { signal: SignalNodeView, listener: ListenerNodeView };

const onNodeClick: NodeMouseHandler<GraphNode> = (_event, node) => {
  const current = inspectorStore.getState().ui.selectedNodeId;
  inspectorStore.getState().selectNode(current === node.id ? undefined : node.id);
};

const onPaneClick = () => inspectorStore.getState().selectNode(undefined);

/**
 * Selects a focused node with Enter or Space and clears the selection with Escape, as a click
 * does. React Flow's own key handling only updates its internal selection, which the store's
 * selection overrides.
 */
const onGraphKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
  if (event.key !== 'Enter' && event.key !== ' ' && event.key !== 'Escape') return;
  const node = (event.target as HTMLElement).closest<HTMLElement>('.react-flow__node');
  const id = node?.dataset.id;
  if (!id) return;

  event.preventDefault();
  const store = inspectorStore.getState();
  if (event.key === 'Escape') {
    store.selectNode(undefined);
    return;
  }
  store.selectNode(store.ui.selectedNodeId === id ? undefined : id);
};

/**
 * React Flow fits only measured nodes by default, and with `onlyRenderVisibleElements` the nodes
 * off screen are never measured. Every node declares its size, so all of them can take part.
 */
const fitViewOptions = { includeHiddenNodes: true } as const;

/**
 * The viewport before the first fit. Its zoom is below any detail threshold, so a large graph
 * renders its compact nodes once instead of rendering full nodes and then replacing them all
 * when the fit zooms out. A small graph fits above the threshold and shows full nodes.
 */
const initialViewport = { x: 0, y: 0, zoom: 0.05 } as const;

/** Live data refreshes at most this often, so a busy app does not re-render 2500 nodes per batch. */
const REFRESH_MS = 250;

function Graph() {
  const liveGraph = useInspector(selectGraph);
  const graph = useThrottled(liveGraph, REFRESH_MS);
  const selectedNodeId = useInspector(selectSelectedNodeId);
  const now = useNow(500);

  // The layout depends only on the structure, so activity never re-runs dagre.
  const { positions, layouts } = useLayout(graph);
  const { fitView } = useReactFlow();

  // Each new layout moves the nodes, so the view follows it until the user pans or zooms.
  const userMoved = useRef(false);
  useEffect(() => {
    if (layouts === 0 || userMoved.current) return;
    // React Flow applies the new positions in its own effect, so the fit waits a frame.
    const frame = requestAnimationFrame(() => void fitView(fitViewOptions));
    return () => cancelAnimationFrame(frame);
  }, [layouts, fitView]);
  const onMoveStart = (event: MouseEvent | TouchEvent | null) => {
    // Programmatic moves such as fitView pass no event.
    if (event) userMoved.current = true;
  };

  const previousNodes = useRef(new Map<string, GraphNode>());
  const nodes = useMemo(() => {
    const next = keepUnchangedNodes(
      previousNodes.current,
      buildNodes(graph, positions, selectedNodeId, now),
    );
    previousNodes.current = new Map(next.map((node) => [node.id, node]));
    return next;
  }, [graph, positions, selectedNodeId, now]);
  const previousEdges = useRef(new Map<string, Edge>());
  const edges = useMemo(() => {
    const next = keepUnchangedEdges(previousEdges.current, buildEdges(graph, now));
    previousEdges.current = new Map(next.map((edge) => [edge.id, edge]));
    return next;
  }, [graph, now]);

  if (nodes.length === 0) {
    return <p className="empty">No signals yet. Signals appear here as the app creates them.</p>;
  }

  return (
    <ReactFlow<GraphNode>
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      onNodeClick={onNodeClick}
      onPaneClick={onPaneClick}
      onKeyDown={onGraphKeyDown}
      onMoveStart={onMoveStart}
      onlyRenderVisibleElements
      // Edges come before nodes in the DOM, so focusable edges would put every edge in the Tab
      // order ahead of the first node. Their names stay readable by screen readers.
      edgesFocusable={false}
      nodesDraggable={false}
      nodesConnectable={false}
      fitView
      fitViewOptions={fitViewOptions}
      defaultViewport={initialViewport}
      minZoom={0.05}
      aria-label="Signal graph"
      colorMode="system"
    >
      <Background />
      <Controls />
      <MiniMap pannable zoomable ariaLabel="Graph overview" />
    </ReactFlow>
  );
}

/** Returns the window the graph's counts cover, which differs after a reload or an import. */
export function describeCountWindow(connection: ConnectionSlice): string {
  if (connection.status !== 'imported') {
    return "Counts cover the events this page received since it connected, starting with the agent's buffered history.";
  }
  return connection.detail
    ? `Counts cover the events in the recording ${connection.detail}.`
    : 'Counts cover the events in the imported recording.';
}

function SelectionBar() {
  const selectedNodeId = useInspector(selectSelectedNodeId);
  const graph = useInspector(selectGraph);
  const connection = useInspector(selectConnection);
  const countWindow = <span className="muted count-window">{describeCountWindow(connection)}</span>;
  if (!selectedNodeId) {
    return (
      <p>
        <span className="muted">Select a node to filter the timeline and chains by it.</span>{' '}
        {countWindow}
      </p>
    );
  }

  const [kind, rawId] = selectedNodeId.split(':');
  const id = Number(rawId);
  const listener = kind === 'listener' ? graph.listeners.get(id) : undefined;
  const name =
    kind === 'signal'
      ? `signal ${graph.signals.get(id)?.name ?? id}`
      : `listener ${listener ? listenerLabel(listener) : id}`;
  const location = listener?.location ? `, registered at ${listener.location}` : '';
  return (
    <p>
      Selected {name}
      {location}; the timeline and chains show only its emits.{' '}
      <button type="button" onClick={onPaneClick}>
        Clear selection
      </button>{' '}
      {countWindow}
    </p>
  );
}

export interface GraphViewProps {
  /** Zoom below which nodes show only their name. @default 0.7 */
  readonly detailMinZoom?: number;
}

export function GraphView({ detailMinZoom = DETAIL_MIN_ZOOM }: GraphViewProps = {}) {
  return (
    <section className="graph-view" aria-label="Graph">
      <SelectionBar />
      <div className="graph-canvas">
        <DetailMinZoom.Provider value={detailMinZoom}>
          <ReactFlowProvider>
            <Graph />
          </ReactFlowProvider>
        </DetailMinZoom.Provider>
      </div>
    </section>
  );
}
