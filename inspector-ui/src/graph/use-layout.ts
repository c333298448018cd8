/** React binding of the layout: in a Web Worker when the browser has one, else inline. */
import { useEffect, useMemo, useState } from 'react';
import type { GraphSlice } from '../store/model.js';
import { layoutStructure, structureOf } from './graph-model.js';
import type { LayoutRequest, LayoutResponse } from './layout-worker.js';

type Positions = ReadonlyMap<string, { x: number; y: number }>;

let worker: Worker | undefined;
let nextRequestId = 1;

function layoutWorker(): Worker {
  worker ??= new Worker(new URL('./layout-worker.ts', import.meta.url), { type: 'module' });
  return worker;
}

/**
 * Returns node positions for the graph's structure, recomputed only when `structureVersion`
 * changes. With a Worker, the previous positions stay until the new layout arrives, and nodes
 * new since then sit at the origin meanwhile.
 */
export function useLayout(graph: GraphSlice): { positions: Positions; layouts: number } {
  const hasWorker = typeof Worker !== 'undefined';
  const [result, setResult] = useState<{ positions: Positions; layouts: number }>({
    positions: new Map(),
    layouts: 0,
  });

  // Without a Worker (tests in jsdom, old browsers) the layout runs inline during render.
  // biome-ignore lint/correctness/useExhaustiveDependencies: structureVersion stands for the structure
  const inline = useMemo(
    () => (hasWorker ? undefined : layoutStructure(graph)),
    [hasWorker, graph.structureVersion],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: structureVersion stands for the structure
  useEffect(() => {
    if (!hasWorker) return;
    const requestId = nextRequestId++;
    const target = layoutWorker();
    const onMessage = (event: MessageEvent<LayoutResponse>) => {
      if (event.data.requestId !== requestId) return;
      setResult((previous) => ({
        positions: new Map(event.data.positions),
        layouts: previous.layouts + 1,
      }));
    };
    target.addEventListener('message', onMessage);
    const request: LayoutRequest = { requestId, ...structureOf(graph) };
    target.postMessage(request);
    return () => target.removeEventListener('message', onMessage);
  }, [hasWorker, graph.structureVersion]);

  return inline ? { positions: inline, layouts: 1 } : result;
}
