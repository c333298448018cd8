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
