import { describe, expect, it } from 'vitest';
import {
  buildEdges,
  buildNodes,
  completePositions,
  describeListener,
  keepUnchangedEdges,
  keepUnchangedNodes,
  LISTENER_NODE_SIZE,
  layoutStructure,
  listenerNodeSize,
  MAX_NODE_WIDTH,
  placeInGrid,
  SIGNAL_NODE_SIZE,
  signalNodeSize,
  structureOf,
} from '../../src/graph/graph-model.js';
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

describe('buildEdges names', () => {
  it('names causal edges by listener key', () => {
    const edges = buildEdges(checkoutGraph(), T0);
    const causal = edges.find((edge) => edge.id === 'causes:11->2');

    expect(causal?.ariaLabel).toBe('Listener charge emits payment.requested');
  });

  it('gives every edge the group role', () => {
    const roles = new Set(buildEdges(checkoutGraph(), T0).map((edge) => edge.ariaRole));

    expect([...roles]).toEqual(['group']);
  });

  it('names listens edges by key or function', () => {
    const labels = buildEdges(checkoutGraph(), T0).map((edge) => edge.ariaLabel);

    expect(labels).toContain('order.placed runs listener charge');
    expect(labels).toContain('order.placed runs listener sendEmail');
  });
});

describe('structureOf', () => {
  it('lists each listener after its signal', () => {
    const ids = structureOf(checkoutGraph()).nodes.map((node) => node.id);

    expect(ids.indexOf('listener:11')).toBe(ids.indexOf('signal:1') + 1);
    expect(ids).toHaveLength(9);
  });
});

describe('placeInGrid', () => {
  it('gives every node its own cell', () => {
    const nodes = Array.from({ length: 10 }, (_, index) => ({
      id: `n${index}`,
      width: 10,
      height: 10,
    }));
    const positions = placeInGrid(nodes);
    const cells = new Set([...positions.values()].map(({ x, y }) => `${x},${y}`));

    expect(cells.size).toBe(10);
    expect(positions.get('n0')).toEqual({ x: 0, y: 0 });
  });
});

describe('placeInGrid cells', () => {
  it('fits the widest node', () => {
    const nodes = [
      { id: 'wide', width: 500, height: 10 },
      { id: 'next', width: 10, height: 10 },
    ];
    const positions = placeInGrid(nodes);

    expect(positions.get('next')!.x).toBeGreaterThanOrEqual(500);
  });
});

describe('signalNodeSize', () => {
  it('keeps the minimum for short names', () => {
    expect(signalNodeSize({ name: 'a.b' })).toEqual(SIGNAL_NODE_SIZE);
  });

  it('widens for long names', () => {
    const short = signalNodeSize({ name: 'order-fulfilment.saga' }).width;
    const long = signalNodeSize({ name: 'order-fulfilment.saga.stepCompensated' }).width;

    expect(long).toBeGreaterThan(short);
  });

  it('stops at the maximum width', () => {
    expect(signalNodeSize({ name: 'x'.repeat(500) }).width).toBe(MAX_NODE_WIDTH);
  });
});

describe('listenerNodeSize', () => {
  const listener = { functionName: 'charge', key: undefined, location: undefined };

  it('keeps the minimum for short names', () => {
    expect(listenerNodeSize(listener)).toEqual(LISTENER_NODE_SIZE);
  });

  it('widens for the key', () => {
    const keyed = listenerNodeSize({ ...listener, key: 'payment.charge-order-with-retries' });

    expect(keyed.width).toBeGreaterThan(LISTENER_NODE_SIZE.width);
  });

  it('widens for a long location', () => {
    const located = listenerNodeSize({
      ...listener,
      location: 'src/services/payments/handlers/charge-order.ts:120:15',
    });

    expect(located.width).toBeGreaterThan(LISTENER_NODE_SIZE.width);
  });

  it('sizes layout input and nodes alike', () => {
    const graph = checkoutGraph();
    const layoutSizes = new Map(structureOf(graph).nodes.map((node) => [node.id, node.width]));
    const nodes = buildNodes(graph, new Map(), undefined, T0);

    expect(nodes.map((node) => node.width)).toEqual(nodes.map((node) => layoutSizes.get(node.id)));
  });
});

describe('describeListener', () => {
  it('names key, signal and location', () => {
    expect(
      describeListener(
        { functionName: 'chargeCard', key: 'charge', location: 'src/pay.ts:12:3' },
        'payment.requested',
      ),
    ).toBe('chargeCard [charge] on payment.requested, registered at src/pay.ts:12:3');
  });

  it('leaves out a missing location', () => {
    expect(
      describeListener({ functionName: 'audit', key: undefined, location: undefined }, 'a'),
    ).toBe('audit on a');
  });
});

describe('completePositions', () => {
  it('places new nodes below laid-out ones', () => {
    const nodes = [
      { id: 'a', width: 100, height: 50 },
      { id: 'b', width: 100, height: 50 },
    ];
    const positions = completePositions(nodes, new Map([['a', { x: 5, y: 200 }]]));

    expect(positions.get('a')).toEqual({ x: 5, y: 200 });
    expect(positions.get('b')!.y).toBeGreaterThan(250);
  });
});

describe('keepUnchangedNodes', () => {
  it('reuses nodes whose data did not change', () => {
    const graph = checkoutGraph();
    const positions = layoutStructure(graph);
    const first = buildNodes(graph, positions, undefined, T0);
    const previous = new Map(first.map((node) => [node.id, node]));
    const second = keepUnchangedNodes(previous, buildNodes(graph, positions, 'signal:2', T0));

    expect(second.find((node) => node.id === 'signal:1')).toBe(previous.get('signal:1'));
    expect(second.find((node) => node.id === 'signal:2')).not.toBe(previous.get('signal:2'));
  });

  it('replaces nodes whose stats changed', () => {
    const graph = checkoutGraph();
    const positions = layoutStructure(graph);
    const previous = new Map(
      buildNodes(graph, positions, undefined, T0).map((node) => [node.id, node]),
    );
    graph.listeners.get(11)!.calls += 1;
    const next = keepUnchangedNodes(previous, buildNodes(graph, positions, undefined, T0));

    expect(next.find((node) => node.id === 'listener:11')).not.toBe(previous.get('listener:11'));
  });
});

describe('keepUnchangedEdges', () => {
  it('reuses edges until they change', () => {
    const graph = checkoutGraph();
    const lastEmit = graph.signals.get(1)!.lastEmitAt!;
    const first = buildEdges(graph, lastEmit + 60_000);
    const previous = new Map(first.map((edge) => [edge.id, edge]));
    const next = keepUnchangedEdges(previous, buildEdges(graph, lastEmit + 10));
    const causal = next.find((edge) => edge.id === 'causes:11->2');

    expect(causal).toBe(previous.get('causes:11->2'));
    expect(next.find((edge) => edge.id === 'listens:1->11')).not.toBe(
      previous.get('listens:1->11'),
    );
    expect(next.find((edge) => edge.id === 'listens:1->11')?.animated).toBe(true);
  });
});
