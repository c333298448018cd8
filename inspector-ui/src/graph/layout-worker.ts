/// <reference lib="webworker" />
/** Runs dagre off the main thread: a graph of 2500 nodes takes about a second to lay out. */
import { type LayoutEdge, type LayoutNode, layoutGraph } from './layout.js';

export interface LayoutRequest {
  readonly requestId: number;
  readonly nodes: readonly LayoutNode[];
  readonly edges: readonly LayoutEdge[];
}

export interface LayoutResponse {
  readonly requestId: number;
  readonly positions: [string, { x: number; y: number }][];
}

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const { requestId, nodes, edges } = event.data;
  const response: LayoutResponse = { requestId, positions: [...layoutGraph(nodes, edges)] };
  self.postMessage(response);
};
