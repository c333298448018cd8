import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { layoutGraph } from '../../src/graph/layout.js';
import type { LayoutRequest } from '../../src/graph/layout-worker.js';
import { useLayout } from '../../src/graph/use-layout.js';
import { createInspectorState, ingestMessage } from '../../src/store/ingest.js';
import { checkoutStream } from '../fixtures/stream.js';

/** Replies to layout requests on demand, running the real layout function. */
class FakeWorker extends EventTarget {
  static instance: FakeWorker | undefined;
  readonly requests: LayoutRequest[] = [];

  constructor() {
    super();
    FakeWorker.instance = this;
  }

  postMessage(request: LayoutRequest): void {
    this.requests.push(request);
  }

  answer(request: LayoutRequest): void {
    const positions = [...layoutGraph(request.nodes, request.edges)];
    this.dispatchEvent(
      new MessageEvent('message', { data: { requestId: request.requestId, positions } }),
    );
  }
}

const graph = checkoutStream().messages.reduce(ingestMessage, createInspectorState()).graph;

describe('useLayout', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('lays out inline without a Worker', () => {
    const { result } = renderHook(() => useLayout(graph));

    expect(result.current.positions.size).toBe(9);
    expect(result.current.layouts).toBe(1);
  });

  it('lays out in a Worker and ignores stale replies', () => {
    vi.stubGlobal('Worker', FakeWorker);
    const { result, rerender } = renderHook(({ slice }) => useLayout(slice), {
      initialProps: { slice: graph },
    });
    const worker = FakeWorker.instance!;

    expect(result.current.layouts).toBe(0);
    expect(result.current.pending).toBe(true);

    rerender({ slice: { ...graph, structureVersion: graph.structureVersion + 1 } });
    const [stale, current] = worker.requests;
    act(() => worker.answer(stale!));
    expect(result.current.layouts).toBe(0);

    act(() => worker.answer(current!));
    expect(result.current.positions.size).toBe(9);
    expect(result.current.layouts).toBe(1);
    expect(result.current.pending).toBe(false);
  });

  it('places every node in a grid before the Worker answers', () => {
    vi.stubGlobal('Worker', FakeWorker);
    const { result } = renderHook(() => useLayout(graph));
    const corners = [...result.current.positions.values()].map(({ x, y }) => `${x},${y}`);

    expect(result.current.positions.size).toBe(9);
    expect(new Set(corners).size).toBe(9);
  });
});
