/** Graph layout by dagre, kept apart from React so tests can run it alone. */
import dagre from '@dagrejs/dagre';

export interface LayoutNode {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

export interface LayoutEdge {
  readonly source: string;
  readonly target: string;
}

export interface LayoutOptions {
  /** Direction of the ranks. @default 'LR' */
  readonly direction?: 'LR' | 'TB';
  /** Pixels between nodes of one rank. @default 16 */
  readonly nodeSeparation?: number;
  /** Pixels between ranks. @default 80 */
  readonly rankSeparation?: number;
}

/**
 * Lays out a directed graph and returns each node's top-left corner, as @xyflow/react positions
 * nodes. Edges between unknown nodes are ignored.
 *
 * @example
 * const positions = layoutGraph([{ id: 'a', width: 100, height: 40 }], []);
 * positions.get('a'); // { x: 0, y: 0 }
 */
export function layoutGraph(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  options: LayoutOptions = {},
): Map<string, { x: number; y: number }> {
  const graph = new dagre.graphlib.Graph({ multigraph: false });
  graph.setGraph({
    rankdir: options.direction ?? 'LR',
    nodesep: options.nodeSeparation ?? 16,
    ranksep: options.rankSeparation ?? 80,
    marginx: 0,
    marginy: 0,
  });
  graph.setDefaultEdgeLabel(() => ({}));

  for (const node of nodes) graph.setNode(node.id, { width: node.width, height: node.height });
  for (const edge of edges) {
    if (graph.hasNode(edge.source) && graph.hasNode(edge.target)) {
      graph.setEdge(edge.source, edge.target);
    }
  }
  dagre.layout(graph);

  const positions = new Map<string, { x: number; y: number }>();
  for (const node of nodes) {
    const laid = graph.node(node.id) as { x: number; y: number };
    positions.set(node.id, { x: laid.x - node.width / 2, y: laid.y - node.height / 2 });
  }
  return positions;
}
