/**
 * Turns the graph slice into @xyflow/react nodes and edges. Structure (ids and layout) is
 * separate from live data so the layout runs only when nodes or edges appear or go.
 */
import type { Edge, Node } from '@xyflow/react';
import { type ListenerStats, listenerStats } from '../store/listener-stats.js';
import type {
  GraphSlice,
  ListenerRecord,
  OwnerInfo,
  SignalKind,
  SignalRecord,
} from '../store/model.js';
import { type LayoutEdge, type LayoutNode, layoutGraph } from './layout.js';

/** The smallest node of each kind, which {@link signalNodeSize} and {@link listenerNodeSize} widen. */
export const SIGNAL_NODE_SIZE = { width: 220, height: 96 } as const;
export const LISTENER_NODE_SIZE = { width: 280, height: 72 } as const;

/** Widest node in pixels. A longer label is cut with an ellipsis, and the node's title shows it whole. */
export const MAX_NODE_WIDTH = 520;

/**
 * Estimated pixels per character of the node title (12px bold) and of the location line (12px).
 * Labels are not measured in the DOM, so a label of wide glyphs can still be cut.
 */
const TITLE_CHAR_WIDTH = 7.4;
const META_CHAR_WIDTH = 6.6;
/** The kind badge, the padding and the border around a title. */
const TITLE_CHROME_WIDTH = 64;

const fitWidth = (min: number, contentWidth: number) =>
  Math.ceil(Math.min(MAX_NODE_WIDTH, Math.max(min, contentWidth)));

/** Returns the size of a signal node, wide enough for its name up to {@link MAX_NODE_WIDTH}. */
export function signalNodeSize(signal: Pick<SignalRecord, 'name'>): {
  width: number;
  height: number;
} {
  const width = TITLE_CHROME_WIDTH + signal.name.length * TITLE_CHAR_WIDTH;
  return { width: fitWidth(SIGNAL_NODE_SIZE.width, width), height: SIGNAL_NODE_SIZE.height };
}

/**
 * Returns the size of a listener node, wide enough for its function name, key and registration
 * location up to {@link MAX_NODE_WIDTH}.
 */
export function listenerNodeSize(
  listener: Pick<ListenerRecord, 'functionName' | 'key' | 'location'>,
): { width: number; height: number } {
  const titleLength = listener.functionName.length + (listener.key ? listener.key.length + 3 : 0);
  const width = Math.max(
    TITLE_CHROME_WIDTH + titleLength * TITLE_CHAR_WIDTH,
    16 + (listener.location?.length ?? 0) * META_CHAR_WIDTH,
  );
  return { width: fitWidth(LISTENER_NODE_SIZE.width, width), height: LISTENER_NODE_SIZE.height };
}

/** Returns a listener's description for a tooltip: name, key, signal and registration location. */
export function describeListener(
  listener: Pick<ListenerRecord, 'functionName' | 'key' | 'location'>,
  signalName: string,
): string {
  const key = listener.key ? ` [${listener.key}]` : '';
  const location = listener.location ? `, registered at ${listener.location}` : '';
  return `${listener.functionName}${key} on ${signalName}${location}`;
}

export const signalNodeId = (signalId: number) => `signal:${signalId}`;
export const listenerNodeId = (listenerId: number) => `listener:${listenerId}`;

/** Names a listener as the graph and its accessible names do: its key, else its function name. */
export const listenerLabel = (listener: Pick<ListenerRecord, 'key' | 'functionName'>) =>
  listener.key ?? listener.functionName;

export type SignalNodeData = {
  readonly signalId: number;
  readonly name: string;
  readonly kind: SignalKind;
  readonly owner: OwnerInfo | undefined;
  readonly emits: number;
  readonly failedEmits: number;
  readonly listenerCount: number;
  readonly leakSuspected: boolean;
  /** Emits a rate limiter dropped on this signal. */
  readonly dropped: number;
  /** Events appended to the event store that owns this signal. */
  readonly appended: number;
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
  const placed = new Set<number>();
  for (const signal of graph.signals.values()) {
    nodes.push({ id: signalNodeId(signal.signalId), ...signalNodeSize(signal) });
    for (const listenerId of signal.listenerIds) {
      edges.push({ source: signalNodeId(signal.signalId), target: listenerNodeId(listenerId) });
      const listener = graph.listeners.get(listenerId);
      if (listener && !placed.has(listenerId)) {
        nodes.push({ id: listenerNodeId(listenerId), ...listenerNodeSize(listener) });
        placed.add(listenerId);
      }
    }
  }
  // Listeners whose signal no longer lists them still get a node, as buildNodes draws them.
  for (const listener of graph.listeners.values()) {
    if (placed.has(listener.listenerId)) continue;
    nodes.push({ id: listenerNodeId(listener.listenerId), ...listenerNodeSize(listener) });
  }
  for (const edge of graph.causalEdges.values()) {
    edges.push({ source: listenerNodeId(edge.listenerId), target: signalNodeId(edge.signalId) });
  }
  return { nodes, edges };
}

type Point = { x: number; y: number };

/** Pixels between grid cells in {@link placeInGrid}. */
const GRID_GAP = 24;

/**
 * Places nodes row by row in a roughly square grid below `top`, in the order given: a layout
 * that costs O(n) and shows every node while dagre runs in the worker. `structureOf` lists each
 * signal before its listeners' block, so neighbours in the grid are mostly related.
 */
export function placeInGrid(
  nodes: readonly LayoutNode[],
  top = 0,
  into: Map<string, Point> = new Map(),
): Map<string, Point> {
  // Cells fit the largest node, so nodes widened for long names never overlap.
  let cellWidth = Math.max(SIGNAL_NODE_SIZE.width, LISTENER_NODE_SIZE.width);
  let cellHeight = Math.max(SIGNAL_NODE_SIZE.height, LISTENER_NODE_SIZE.height);
  for (const node of nodes) {
    cellWidth = Math.max(cellWidth, node.width);
    cellHeight = Math.max(cellHeight, node.height);
  }
  cellWidth += GRID_GAP;
  cellHeight += GRID_GAP;
  const columns = Math.max(1, Math.ceil(Math.sqrt(nodes.length)));
  nodes.forEach((node, index) => {
    into.set(node.id, {
      x: (index % columns) * cellWidth,
      y: top + Math.floor(index / columns) * cellHeight,
    });
  });
  return into;
}

/**
 * Returns a position for every node of `nodes`: its position in `laidOut` when it has one, else
 * a grid cell below the laid-out nodes, so nodes new since the last dagre layout never overlap.
 */
export function completePositions(
  nodes: readonly LayoutNode[],
  laidOut: ReadonlyMap<string, Point>,
): Map<string, Point> {
  const positions = new Map<string, Point>();
  const missing: LayoutNode[] = [];
  let bottom = Number.NEGATIVE_INFINITY;
  for (const node of nodes) {
    const position = laidOut.get(node.id);
    if (position) {
      positions.set(node.id, position);
      bottom = Math.max(bottom, position.y + node.height);
    } else {
      missing.push(node);
    }
  }
  if (missing.length === 0) return positions;

  const top = Number.isFinite(bottom) ? bottom + GRID_GAP * 4 : 0;
  return placeInGrid(missing, top, positions);
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
      ...signalNodeSize(signal),
      data: {
        signalId: signal.signalId,
        name: signal.name,
        kind: signal.kind,
        owner: signal.owner,
        emits: signal.emits,
        failedEmits: signal.failedEmits,
        listenerCount: signal.listenerIds.length,
        leakSuspected: signal.leakSuspected,
        dropped: signal.dropped,
        appended: signal.appended,
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
      ariaLabel: `Listener ${listenerLabel(listener)} on ${signal?.name ?? 'unknown signal'}`,
      ...listenerNodeSize(listener),
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

/**
 * Builds signal-to-listener edges and causal listener-to-signal edges. Edges keep the `group`
 * role that focusable React Flow edges get, though the graph makes them unfocusable.
 */
export function buildEdges(graph: GraphSlice, now: number): Edge[] {
  const edges: Edge[] = [];
  const nameOfListener = (listenerId: number) => {
    const listener = graph.listeners.get(listenerId);
    return listener ? listenerLabel(listener) : `#${listenerId}`;
  };
  for (const signal of graph.signals.values()) {
    const active = signal.lastEmitAt !== undefined && now - signal.lastEmitAt < ACTIVITY_WINDOW_MS;
    for (const listenerId of signal.listenerIds) {
      edges.push({
        id: `listens:${signal.signalId}->${listenerId}`,
        source: signalNodeId(signal.signalId),
        target: listenerNodeId(listenerId),
        animated: active,
        className: active ? 'edge-listens edge-active' : 'edge-listens',
        ariaRole: 'group',
        ariaLabel: `${signal.name} runs listener ${nameOfListener(listenerId)}`,
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
      ariaRole: 'group',
      label: `emits ×${edge.count}`,
      ariaLabel: `Listener ${nameOfListener(edge.listenerId)} emits ${signal?.name ?? `signal#${edge.signalId}`}`,
    });
  }
  return edges;
}

function sameData(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  for (const key in b) {
    const left = a[key];
    const right = b[key];
    if (Object.is(left, right)) continue;
    // One level deeper for nested records such as a listener's stats.
    if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) {
      return false;
    }
    for (const inner in right) {
      if (
        !Object.is(
          (left as Record<string, unknown>)[inner],
          (right as Record<string, unknown>)[inner],
        )
      ) {
        return false;
      }
    }
  }
  return true;
}

/**
 * Returns `next` with every node that equals its previous version replaced by that previous
 * object. React Flow re-renders a node only when its object changes, so a refresh that touches
 * a few nodes re-renders only those instead of all 2500.
 */
export function keepUnchangedNodes(
  previous: ReadonlyMap<string, GraphNode>,
  next: readonly GraphNode[],
): GraphNode[] {
  return next.map((node) => {
    const old = previous.get(node.id);
    if (
      old === undefined ||
      old.type !== node.type ||
      old.selected !== node.selected ||
      old.ariaLabel !== node.ariaLabel ||
      old.position.x !== node.position.x ||
      old.position.y !== node.position.y ||
      !sameData(old.data, node.data)
    ) {
      return node;
    }
    return old;
  });
}

/** Like {@link keepUnchangedNodes}, for edges. */
export function keepUnchangedEdges(
  previous: ReadonlyMap<string, Edge>,
  next: readonly Edge[],
): Edge[] {
  return next.map((edge) => {
    const old = previous.get(edge.id);
    if (
      old === undefined ||
      old.source !== edge.source ||
      old.target !== edge.target ||
      old.animated !== edge.animated ||
      old.className !== edge.className ||
      old.label !== edge.label ||
      old.ariaLabel !== edge.ariaLabel
    ) {
      return edge;
    }
    return old;
  });
}
