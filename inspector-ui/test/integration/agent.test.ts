// @vitest-environment node
/**
 * The UI's client, bridge and reducer against a real agent on a loopback port: the wire
 * contract end to end, without a browser.
 */
import { createRequire } from 'node:module';
import { createSyncSignal } from '@sigscope/core';
import { type Inspector, startInspector } from '@sigscope/inspector-agent';
import type { ReplayResult } from '@sigscope/inspector-agent/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { connectStore } from '../../src/connection/bridge.js';
import type { AgentClient, WebSocketLike } from '../../src/connection/client.js';
import type { InspectorState } from '../../src/store/model.js';
import { exportNdjsonOf } from '../../src/store/replay.js';
import { createInspectorStore, type InspectorStoreApi } from '../../src/store/store.js';

// `ws` is the agent's dependency; Node 20 has no global WebSocket.
const requireFromAgent = createRequire(
  new URL('../../../inspector-agent/package.json', import.meta.url),
);
const WebSocket = requireFromAgent('ws') as new (url: string) => WebSocketLike;

/** Resolves once the store's data satisfies `predicate`, checking on every store change. */
function waitFor(store: InspectorStoreApi, predicate: (data: InspectorState) => boolean) {
  return new Promise<void>((resolve) => {
    if (predicate(store.getState().data)) return resolve();
    const unsubscribe = store.subscribe((state) => {
      if (!predicate(state.data)) return;
      unsubscribe();
      resolve();
    });
  });
}

let inspector: Inspector | undefined;
let client: AgentClient | undefined;

afterEach(async () => {
  client?.stop();
  await inspector?.stop();
  client = undefined;
  inspector = undefined;
});

function connect(token: string) {
  const store = createInspectorStore();
  const address = {
    url: `ws://127.0.0.1:${inspector!.port}/ws?token=${token}`,
    httpOrigin: `http://127.0.0.1:${inspector!.port}`,
  };
  client = connectStore(store, address, { createSocket: (url) => new WebSocket(url) });
  return store;
}

describe('inspector UI against the agent', () => {
  it('records a failing chain, replays and exports it', async () => {
    inspector = await startInspector({ port: 0, allowReplay: true, appName: 'ui-integration' });
    const checkout = createSyncSignal<{ sku: string }>({ name: 'checkout' });
    checkout.addListener(function validate() {}, 'validate');
    checkout.addListener(function charge() {
      throw new Error('card declined');
    }, 'charge');
    checkout.addListener(function notify() {}, 'notify');

    const store = connect(inspector.token);
    await waitFor(store, (data) => data.connection.status === 'connected');
    await waitFor(store, (data) =>
      [...data.graph.signals.values()].some((s) => s.name === 'checkout'),
    );
    expect(store.getState().data.connection.app?.name).toBe('ui-integration');

    await expect(checkout.tryEmit({ sku: 'A' })).rejects.toThrow('card declined');
    inspector.flush();
    await waitFor(
      store,
      (data) =>
        data.emits.chainIds.length === 1 &&
        data.emits.byId.get(data.emits.chainIds[0]!)?.chain !== undefined,
    );
    const recorded = store
      .getState()
      .data.emits.byId.get(store.getState().data.emits.chainIds[0]!)!;
    expect(recorded.spans.map((span) => span.status)).toEqual(['ok', 'failed', 'skipped']);
    expect(recorded.chain?.failedKey).toBe('charge');

    const replay = (await store.getState().sendCommand!({
      type: 'replay',
      items: [{ seq: recorded.seq, payload: { sku: 'B' } }],
    })) as ReplayResult;
    expect(replay.items).toHaveLength(1);
    expect(replay.items[0]?.error?.preview).toMatchObject({ $: 'error', message: 'card declined' });
    inspector.flush();
    await waitFor(store, (data) =>
      [...data.emits.byId.values()].some((emit) => emit.replayOf === recorded.emitId),
    );

    const ndjson = exportNdjsonOf(await store.getState().sendCommand!({ type: 'export' }));
    const offline = createInspectorStore();
    offline.getState().importRecording(ndjson, 'export.ndjson');
    expect(offline.getState().data.emits.byId.get(recorded.emitId)?.chain?.outcome).toBe('failed');
  });

  it('stops retrying on a rejected token', async () => {
    inspector = await startInspector({ port: 0 });
    const store = connect('wrong-token');

    await waitFor(store, (data) => data.connection.status !== 'connecting');
    expect(store.getState().data.connection.status).toBe('rejected');
  });
});
