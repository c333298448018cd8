/** React binding of the layout: in a Web Worker when the browser has one, else inline. */
import { useEffect, useMemo, useState } from 'react';
import type { GraphSlice } from '../store/model.js';
import { completePositions, layoutStructure, structureOf } from './graph-model.js';
import type { LayoutRequest, LayoutResponse } from './layout-worker.js';

type Positions = ReadonlyMap<string, { x: number; y: number }>;

export interface LayoutResult {
  /** A position for every node of the current structure. */
  readonly positions: Positions;
  /** Dagre layouts applied so far. */
  readonly layouts: number;
  /** True while the worker computes a layout for the current structure. */
  readonly pending: boolean;
}

let worker: Worker | undefined;
let nextRequestId = 1;

function layoutWorker(): Worker {
  worker ??= new Worker(new URL('./layout-worker.ts', import.meta.url), { type: 'module' });
  return worker;
}

/**
 * Returns node positions for the graph's structure, recomputed only when `structureVersion`
 * changes. With a Worker, nodes keep their last dagre positions until the new layout arrives,
 * and nodes that have none yet sit in a grid below them, so the first render never waits for
 * dagre.
 */
export function useLayout(graph: GraphSlice): LayoutResult {
  const hasWorker = typeof Worker !== 'undefined';
  const [laidOut, setLaidOut] = useState<{
    positions: Positions;
    layouts: number;
    structureVersion: number;
  }>({ positions: new Map(), layouts: 0, structureVersion: -1 });

  // biome-ignore lint/correctness/useExhaustiveDependencies: structureVersion stands for the structure
  const structure = useMemo(() => structureOf(graph), [graph.structureVersion]);

  // Without a Worker (tests in jsdom, old browsers) the layout runs inline during render.
  // biome-ignore lint/correctness/useExhaustiveDependencies: structureVersion stands for the structure
  const inline = useMemo(
    () => (hasWorker ? undefined : layoutStructure(graph)),
    [hasWorker, graph.structureVersion],
  );

  useEffect(() => {
    if (!hasWorker) return;
    const requestId = nextRequestId++;
    const target = layoutWorker();
    const structureVersion = graph.structureVersion;
    const onMessage = (event: MessageEvent<LayoutResponse>) => {
      if (event.data.requestId !== requestId) return;
      setLaidOut((previous) => ({
        positions: new Map(event.data.positions),
        layouts: previous.layouts + 1,
        structureVersion,
      }));
    };
    target.addEventListener('message', onMessage);
    const request: LayoutRequest = { requestId, ...structure };
    target.postMessage(request);
    return () => target.removeEventListener('message', onMessage);
  }, [hasWorker, structure, graph.structureVersion]);

  const positions = useMemo(
    () => completePositions(structure.nodes, laidOut.positions),
    [structure, laidOut.positions],
  );

  if (inline) return { positions: inline, layouts: 1, pending: false };
  return {
    positions,
    layouts: laidOut.layouts,
    pending: laidOut.structureVersion !== graph.structureVersion,
  };
}
