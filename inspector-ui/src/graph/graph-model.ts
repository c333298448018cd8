/**
 * Turns the graph slice into @xyflow/react nodes and edges. Structure (ids and layout) is
 * separate from live data so the layout runs only when nodes or edges appear or go.
 */
import type { Edge, Node } from '@xyflow/react';
import { type ListenerStats, listenerStats } from '../store/listener-stats.js';
import type { GraphSlice, OwnerInfo, SignalKind } from '../store/model.js';
import { type LayoutEdge, type LayoutNode, layoutGraph } from './layout.js';

export const SIGNAL_NODE_SIZE = { width: 200, height: 64 } as const;
export const LISTENER_NODE_SIZE = { width: 220, height: 72 } as const;

export const signalNodeId = (signalId: number) => `signal:${signalId}`;
export const listenerNodeId = (listenerId: number) => `listener:${listenerId}`;

export type SignalNodeData = {
  readonly signalId: number;
  readonly name: string;
  readonly kind: SignalKind;
  readonly owner: OwnerInfo | undefined;
  readonly emits: number;
  readonly failedEmits: number;
  readonly listenerCount: number;
  readonly leakSuspected: boolean;
  readonly active: boolean;
};

export type ListenerNodeData = {
  readonly listenerId: number;
  readonly signalName: string;
  readonly kind: SignalKind;
  readonly key: string | undefined;
  readonly functionName: string;
  readonly location: string | undefined;
  readonly stats: ListenerStats;
  readonly active: boolean;
};

export type SignalNode = Node<SignalNodeData, 'signal'>;
export type ListenerNode = Node<ListenerNodeData, 'listener'>;
export type GraphNode = SignalNode | ListenerNode;

/** Returns the layout input for the current structure: every signal, listener and edge. */
export function structureOf(graph: GraphSlice): { nodes: LayoutNode[]; edges: LayoutEdge[] } {
  const nodes: LayoutNode[] = [];
  const edges: LayoutEdge[] = [];
  for (const signal of graph.signals.values()) {
    nodes.push({ id: signalNodeId(signal.signalId), ...SIGNAL_NODE_SIZE });
    for (const listenerId of signal.listenerIds) {
      edges.push({ source: signalNodeId(signal.signalId), target: listenerNodeId(listenerId) });
    }
  }
  for (const listener of graph.listeners.values()) {
    nodes.push({ id: listenerNodeId(listener.listenerId), ...LISTENER_NODE_SIZE });
  }
  for (const edge of graph.causalEdges.values()) {
    edges.push({ source: listenerNodeId(edge.listenerId), target: signalNodeId(edge.signalId) });
  }
  return { nodes, edges };
}

/** Computes the layout of the current structure on the calling thread. */
export function layoutStructure(graph: GraphSlice): Map<string, { x: number; y: number }> {
  const { nodes, edges } = structureOf(graph);
  return layoutGraph(nodes, edges);
}

/** A node counts as active for this long after its last emit or call. */
export const ACTIVITY_WINDOW_MS = 1500;

/**
 * Builds the nodes with their live data. `now` is in the clock of the trace timestamps, so
 * activity highlighting also works for an imported recording.
 */
export function buildNodes(
  graph: GraphSlice,
  positions: ReadonlyMap<string, { x: number; y: number }>,
  selectedNodeId: string | undefined,
  now: number,
): GraphNode[] {
  const nodes: GraphNode[] = [];
  const origin = { x: 0, y: 0 };

  for (const signal of graph.signals.values()) {
    const id = signalNodeId(signal.signalId);
    nodes.push({
      id,
      type: 'signal',
      position: positions.get(id) ?? origin,
      selected: id === selectedNodeId,
      ariaLabel: `Signal ${signal.name}`,
      ...SIGNAL_NODE_SIZE,
      data: {
        signalId: signal.signalId,
        name: signal.name,
        kind: signal.kind,
        owner: signal.owner,
        emits: signal.emits,
        failedEmits: signal.failedEmits,
        listenerCount: signal.listenerIds.length,
        leakSuspected: signal.leakSuspected,
        active: signal.lastEmitAt !== undefined && now - signal.lastEmitAt < ACTIVITY_WINDOW_MS,
      },
    });
  }

  for (const listener of graph.listeners.values()) {
    const id = listenerNodeId(listener.listenerId);
    const signal = graph.signals.get(listener.signalId);
    nodes.push({
      id,
      type: 'listener',
      position: positions.get(id) ?? origin,
      selected: id === selectedNodeId,
      ariaLabel: `Listener ${listener.key ?? listener.functionName} on ${signal?.name ?? 'unknown signal'}`,
      ...LISTENER_NODE_SIZE,
      data: {
        listenerId: listener.listenerId,
        signalName: signal?.name ?? `signal#${listener.signalId}`,
        kind: signal?.kind ?? 'async',
        key: listener.key,
        functionName: listener.functionName,
        location: listener.location,
        stats: listenerStats(listener),
        active:
          listener.lastActiveAt !== undefined && now - listener.lastActiveAt < ACTIVITY_WINDOW_MS,
      },
    });
  }
  return nodes;
}

/** Builds signal-to-listener edges and causal listener-to-signal edges. */
export function buildEdges(graph: GraphSlice, now: number): Edge[] {
  const edges: Edge[] = [];
  for (const signal of graph.signals.values()) {
    const active = signal.lastEmitAt !== undefined && now - signal.lastEmitAt < ACTIVITY_WINDOW_MS;
    for (const listenerId of signal.listenerIds) {
      edges.push({
        id: `listens:${signal.signalId}->${listenerId}`,
        source: signalNodeId(signal.signalId),
        target: listenerNodeId(listenerId),
        animated: active,
        className: active ? 'edge-listens edge-active' : 'edge-listens',
        ariaLabel: `${signal.name} runs listener ${listenerId}`,
      });
    }
  }
  for (const edge of graph.causalEdges.values()) {
    const signal = graph.signals.get(edge.signalId);
    edges.push({
      id: `causes:${edge.listenerId}->${edge.signalId}`,
      source: listenerNodeId(edge.listenerId),
      target: signalNodeId(edge.signalId),
      className: 'edge-causal',
      label: `emits ×${edge.count}`,
      ariaLabel: `Listener ${edge.listenerId} emits ${signal?.name ?? edge.signalId}`,
    });
  }
  return edges;
}
