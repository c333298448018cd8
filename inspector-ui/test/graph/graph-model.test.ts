import { describe, expect, it } from 'vitest';
import { buildEdges, buildNodes, layoutStructure } from '../../src/graph/graph-model.js';
import { createInspectorState, ingestMessage } from '../../src/store/ingest.js';
import { checkoutStream, T0 } from '../fixtures/stream.js';

function checkoutGraph() {
  return checkoutStream().messages.reduce(ingestMessage, createInspectorState()).graph;
}

describe('buildNodes', () => {
  it('creates a node per signal and listener', () => {
    const graph = checkoutGraph();
    const nodes = buildNodes(graph, layoutStructure(graph), undefined, T0);

    expect(nodes.filter((node) => node.type === 'signal')).toHaveLength(3);
    expect(nodes.filter((node) => node.type === 'listener')).toHaveLength(6);
    expect(nodes.find((node) => node.id === 'signal:1')?.ariaLabel).toBe('Signal order.placed');
  });

  it('carries listener stats and location', () => {
    const graph = checkoutGraph();
    const nodes = buildNodes(graph, layoutStructure(graph), undefined, T0);
    const failing = nodes.find((node) => node.id === 'listener:12');

    expect(failing?.type).toBe('listener');
    if (failing?.type !== 'listener') return;
    expect(failing.data.stats.failures).toBeGreaterThan(0);
    expect(failing.data.location).toBe('src/mail.ts:4:1');
  });

  it('marks the selected node', () => {
    const graph = checkoutGraph();
    const nodes = buildNodes(graph, layoutStructure(graph), 'signal:2', T0);

    expect(nodes.filter((node) => node.selected).map((node) => node.id)).toEqual(['signal:2']);
  });

  it('marks recently active nodes', () => {
    const graph = checkoutGraph();
    const lastEmit = graph.signals.get(1)!.lastEmitAt!;
    const fresh = buildNodes(graph, layoutStructure(graph), undefined, lastEmit + 10);
    const stale = buildNodes(graph, layoutStructure(graph), undefined, lastEmit + 60_000);

    expect(fresh.find((node) => node.id === 'signal:1')?.data.active).toBe(true);
    expect(stale.find((node) => node.id === 'signal:1')?.data.active).toBe(false);
  });
});

describe('buildEdges', () => {
  it('links signals to listeners and listeners to signals they emit', () => {
    const edges = buildEdges(checkoutGraph(), T0);

    expect(edges.filter((edge) => edge.id.startsWith('listens:'))).toHaveLength(6);
    expect(edges.filter((edge) => edge.id.startsWith('causes:'))).toEqual([
      expect.objectContaining({ source: 'listener:11', target: 'signal:2' }),
    ]);
  });
});
