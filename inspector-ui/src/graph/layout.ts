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
  /** Pixels between the boxes of unconnected parts of the graph. @default 48 */
  readonly componentSeparation?: number;
  /** Width over height that the packed parts aim for. @default 1.6 */
  readonly aspectRatio?: number;
}

type Point = { x: number; y: number };

interface Component {
  readonly nodes: LayoutNode[];
  readonly edges: LayoutEdge[];
}

/** Splits the graph into connected components, each in the order its first node was given. */
function connectedComponents(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
): Component[] {
  const parent = new Map<string, string>();
  for (const node of nodes) parent.set(node.id, node.id);
  const root = (id: string): string => {
    let current = id;
    while (parent.get(current) !== current) {
      const next = parent.get(parent.get(current)!)!;
      parent.set(current, next);
      current = next;
    }
    return current;
  };

  const known = edges.filter((edge) => parent.has(edge.source) && parent.has(edge.target));
  for (const edge of known) {
    const a = root(edge.source);
    const b = root(edge.target);
    if (a !== b) parent.set(b, a);
  }

  const byRoot = new Map<string, Component>();
  for (const node of nodes) {
    const key = root(node.id);
    let component = byRoot.get(key);
    if (!component) {
      component = { nodes: [], edges: [] };
      byRoot.set(key, component);
    }
    component.nodes.push(node);
  }
  for (const edge of known) byRoot.get(root(edge.source))!.edges.push(edge);
  return [...byRoot.values()];
}

/** Lays out one connected component with dagre, with positions starting at (0, 0). */
function layoutComponent(
  component: Component,
  options: LayoutOptions,
): { positions: Map<string, Point>; width: number; height: number } {
  const graph = new dagre.graphlib.Graph({ multigraph: false });
  graph.setGraph({
    rankdir: options.direction ?? 'LR',
    nodesep: options.nodeSeparation ?? 16,
    ranksep: options.rankSeparation ?? 80,
    marginx: 0,
    marginy: 0,
  });
  graph.setDefaultEdgeLabel(() => ({}));

  for (const node of component.nodes) {
    graph.setNode(node.id, { width: node.width, height: node.height });
  }
  for (const edge of component.edges) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);

  const positions = new Map<string, Point>();
  let width = 0;
  let height = 0;
  for (const node of component.nodes) {
    const laid = graph.node(node.id) as Point;
    const corner = { x: laid.x - node.width / 2, y: laid.y - node.height / 2 };
    positions.set(node.id, corner);
    width = Math.max(width, corner.x + node.width);
    height = Math.max(height, corner.y + node.height);
  }
  return { positions, width, height };
}

/**
 * Lays out a directed graph and returns each node's top-left corner, as @xyflow/react positions
 * nodes. Edges between unknown nodes are ignored.
 *
 * Each connected component is laid out by dagre on its own, and the components are packed in
 * rows, left to right. Dagre alone would stack 500 small unconnected signals into one column
 * too tall to read at any zoom, and its cost grows faster than linearly with the graph's size.
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
  const gap = options.componentSeparation ?? 48;
  const aspectRatio = options.aspectRatio ?? 1.6;
  const laid = connectedComponents(nodes, edges).map((component) =>
    layoutComponent(component, options),
  );

  // Rows as wide as a rectangle of the target aspect ratio with the components' total area,
  // and never narrower than the widest component.
  let area = 0;
  let widest = 0;
  for (const box of laid) {
    area += (box.width + gap) * (box.height + gap);
    widest = Math.max(widest, box.width);
  }
  const rowWidth = Math.max(widest, Math.sqrt(area * aspectRatio));

  const positions = new Map<string, Point>();
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const box of laid) {
    if (x > 0 && x + box.width > rowWidth) {
      x = 0;
      y += rowHeight + gap;
      rowHeight = 0;
    }
    for (const [id, corner] of box.positions) {
      positions.set(id, { x: corner.x + x, y: corner.y + y });
    }
    x += box.width + gap;
    rowHeight = Math.max(rowHeight, box.height);
  }
  return positions;
}
