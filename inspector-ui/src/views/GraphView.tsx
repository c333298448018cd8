/**
 * The live graph: signals and listeners as nodes, signal-to-listener and causal edges, laid out
 * by dagre once per structural change. Selecting a node filters the other views.
 */
import {
  Background,
  Controls,
  Handle,
  MiniMap,
  type NodeMouseHandler,
  type NodeProps,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useEffect, useMemo } from 'react';
import {
  buildEdges,
  buildNodes,
  type GraphNode,
  type ListenerNode,
  type SignalNode,
} from '../graph/graph-model.js';
import { useLayout } from '../graph/use-layout.js';
import { useNow, useThrottled } from '../hooks.js';
import { formatDuration } from '../store/listener-stats.js';
import { selectGraph, selectSelectedNodeId } from '../store/selectors.js';
import { inspectorStore, useInspector } from '../store/store.js';

const SignalNodeView = memo(function SignalNodeView({ data, selected }: NodeProps<SignalNode>) {
  return (
    <div
      className={`graph-node signal-node${data.active ? ' is-active' : ''}${selected ? ' is-selected' : ''}`}
    >
      <Handle type="target" position={Position.Left} />
      <div className="node-title">
        <span className={`kind-badge kind-${data.kind}`}>{data.kind}</span> {data.name}
      </div>
      <div className="node-meta">
        {data.emits} emits · {data.listenerCount} listeners
        {data.failedEmits > 0 ? (
          <span className="error-badge" title={`${data.failedEmits} emits had a failing listener`}>
            {' '}
            {data.failedEmits} failed
          </span>
        ) : null}
      </div>
      {data.owner ? (
        <div className="node-meta muted">
          {data.owner.kind} {data.owner.name}
        </div>
      ) : null}
      {data.leakSuspected ? (
        <div className="leak-warning" role="img" aria-label="Possible listener leak">
          ⚠ listener count keeps growing ({data.listenerCount}): possible leak
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
  return (
    <div
      className={`graph-node listener-node${data.active ? ' is-active' : ''}${selected ? ' is-selected' : ''}`}
    >
      <Handle type="target" position={Position.Left} />
      <div className="node-title">
        <span className={`kind-badge kind-${data.kind}`}>{data.kind}</span> {data.functionName}
        {data.key ? <span className="muted"> [{data.key}]</span> : null}
      </div>
      {data.location ? <div className="node-meta muted">{data.location}</div> : null}
      <div className="node-meta">
        {stats.calls} calls · p50 {formatDuration(stats.p50)} · p99 {formatDuration(stats.p99)}
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
  useEffect(() => {
    // The first layout from the Worker arrives after React Flow's initial fit.
    if (layouts === 1) void fitView();
  }, [layouts, fitView]);
  const nodes = useMemo(
    () => buildNodes(graph, positions, selectedNodeId, now),
    [graph, positions, selectedNodeId, now],
  );
  const edges = useMemo(() => buildEdges(graph, now), [graph, now]);

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
      onlyRenderVisibleElements
      nodesDraggable={false}
      nodesConnectable={false}
      fitView
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

function SelectionBar() {
  const selectedNodeId = useInspector(selectSelectedNodeId);
  const graph = useInspector(selectGraph);
  if (!selectedNodeId) {
    return <p className="muted">Select a node to filter the timeline and chains by it.</p>;
  }

  const [kind, rawId] = selectedNodeId.split(':');
  const id = Number(rawId);
  const name =
    kind === 'signal'
      ? `signal ${graph.signals.get(id)?.name ?? id}`
      : `listener ${graph.listeners.get(id)?.functionName ?? id}`;
  return (
    <p>
      Selected {name}; the timeline and chains show only its emits.{' '}
      <button type="button" onClick={onPaneClick}>
        Clear selection
      </button>
    </p>
  );
}

export function GraphView() {
  return (
    <section className="graph-view" aria-label="Graph">
      <SelectionBar />
      <div className="graph-canvas">
        <ReactFlowProvider>
          <Graph />
        </ReactFlowProvider>
      </div>
    </section>
  );
}
