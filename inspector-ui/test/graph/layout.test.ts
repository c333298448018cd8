import { describe, expect, it } from 'vitest';
import { layoutGraph } from '../../src/graph/layout.js';

const node = (id: string) => ({ id, width: 100, height: 40 });

describe('layoutGraph', () => {
  it('places targets right of sources', () => {
    const positions = layoutGraph([node('a'), node('b')], [{ source: 'a', target: 'b' }]);

    expect(positions.get('b')!.x).toBeGreaterThan(positions.get('a')!.x + 100);
  });

  it('returns top-left corners', () => {
    const positions = layoutGraph([node('a')], []);

    expect(positions.get('a')).toEqual({ x: 0, y: 0 });
  });

  it('keeps siblings from overlapping', () => {
    const positions = layoutGraph(
      [node('s'), node('l1'), node('l2'), node('l3')],
      ['l1', 'l2', 'l3'].map((target) => ({ source: 's', target })),
    );
    const ys = ['l1', 'l2', 'l3'].map((id) => positions.get(id)!.y).sort((a, b) => a - b);

    expect(ys[1]! - ys[0]!).toBeGreaterThanOrEqual(40);
    expect(ys[2]! - ys[1]!).toBeGreaterThanOrEqual(40);
  });

  it('lays out top to bottom on request', () => {
    const positions = layoutGraph([node('a'), node('b')], [{ source: 'a', target: 'b' }], {
      direction: 'TB',
    });

    expect(positions.get('b')!.y).toBeGreaterThan(positions.get('a')!.y);
  });

  it('ignores edges to unknown nodes', () => {
    const positions = layoutGraph([node('a')], [{ source: 'a', target: 'missing' }]);

    expect([...positions.keys()]).toEqual(['a']);
  });
});

describe('layoutGraph components', () => {
  /** 50 signals with 4 listeners each, none connected to another signal. */
  function starGraph() {
    const nodes = [];
    const edges = [];
    for (let signal = 0; signal < 50; signal++) {
      nodes.push(node(`s${signal}`));
      for (let listener = 0; listener < 4; listener++) {
        nodes.push(node(`s${signal}l${listener}`));
        edges.push({ source: `s${signal}`, target: `s${signal}l${listener}` });
      }
    }
    return { nodes, edges };
  }

  it('packs unconnected parts into rows', () => {
    const { nodes, edges } = starGraph();
    const positions = layoutGraph(nodes, edges);
    const xs = new Set(['s0', 's1', 's2', 's3'].map((id) => positions.get(id)!.x));
    const bottom = Math.max(...[...positions.values()].map((corner) => corner.y));
    const right = Math.max(...[...positions.values()].map((corner) => corner.x));

    expect(xs.size).toBeGreaterThan(1);
    expect(right).toBeGreaterThan(bottom);
  });

  it('keeps packed parts from overlapping', () => {
    const { nodes, edges } = starGraph();
    const positions = layoutGraph(nodes, edges);
    const boxes = nodes.map((each) => ({ ...positions.get(each.id)!, id: each.id }));

    for (const [index, a] of boxes.entries()) {
      for (const b of boxes.slice(index + 1)) {
        const apart = a.x + 100 <= b.x || b.x + 100 <= a.x || a.y + 40 <= b.y || b.y + 40 <= a.y;
        expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
      }
    }
  });

  it('keeps a connected graph in one part', () => {
    const positions = layoutGraph(
      [node('a'), node('b'), node('c')],
      [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'c' },
      ],
    );

    expect(positions.get('b')!.x).toBeGreaterThan(positions.get('a')!.x);
    expect(positions.get('c')!.x).toBeGreaterThan(positions.get('b')!.x);
  });
});
