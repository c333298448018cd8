/**
 * The app's zustand store: the reducer's {@link InspectorState} plus UI state (filters,
 * selection, replay picks) and the command sender of the live connection.
 */
import type {
  AgentMessage,
  CommandMessage,
  RecordedEvent,
} from '@sigscope/inspector-agent/protocol';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { parseExport } from './export-file.js';
import { emptyFilters, type TimelineFilters } from './filters.js';
import { createInspectorState, ingestEvents, ingestMessage } from './ingest.js';
import type { ConnectionSlice, InspectorLimits, InspectorState } from './model.js';

/** A command without its `id`: the connection assigns one. */
export type CommandRequest = CommandMessage extends infer C
  ? C extends CommandMessage
    ? Omit<C, 'id'>
    : never
  : never;

/** Sends a command to the agent and resolves with the ack's `result`, or rejects on `error`. */
export type CommandSender = (command: CommandRequest) => Promise<unknown>;

export type TabId = 'graph' | 'timeline' | 'chains' | 'breakers' | 'limiters' | 'sagas' | 'replay';

export interface UiState {
  readonly activeTab: TabId;
  readonly filters: TimelineFilters;
  readonly selectedEmitId: number | undefined;
  /** The graph node selected, as `signal:<id>` or `listener:<id>`. */
  readonly selectedNodeId: string | undefined;
  /** Emits picked for replay, by emit id, in pick order. */
  readonly replaySelection: readonly number[];
  /** Scroll the timeline to the newest row as rows arrive. */
  readonly followLive: boolean;
  /** Timeline row count frozen by Pause, or undefined while live. */
  readonly pausedLength: number | undefined;
  /** The `tryEmit` chain a link opened: the Sync chains view shows and scrolls to it. */
  readonly linkedChainEmitId: number | undefined;
  /** The saga run a link opened: the Sagas view shows and scrolls to it. */
  readonly linkedRunId: number | undefined;
}

export interface InspectorStore {
  readonly data: InspectorState;
  readonly ui: UiState;
  readonly sendCommand: CommandSender | undefined;
  /** The file the data came from, when browsing an import. */
  readonly importedFileName: string | undefined;

  ingest(messages: readonly AgentMessage[]): void;
  setConnection(patch: Partial<ConnectionSlice>): void;
  setCommandSender(sender: CommandSender | undefined): void;
  /** Drops all recorded data, keeping the connection state. */
  clearData(): void;
  /** Replaces the data with an NDJSON export. @throws Error from {@link parseExport}. */
  importRecording(text: string, fileName: string): void;
  setTab(tab: TabId): void;
  setFilters(patch: Partial<TimelineFilters>): void;
  selectEmit(emitId: number | undefined): void;
  selectNode(nodeId: string | undefined): void;
  toggleReplay(emitId: number): void;
  clearReplay(): void;
  setFollowLive(follow: boolean): void;
  setPaused(paused: boolean): void;
  /** Switches to the Sync chains view and scrolls to the chain of `emitId`. */
  openChain(emitId: number): void;
  /** Switches to the Sagas view and scrolls to run `runId`. */
  openSagaRun(runId: number): void;
}

const initialUi: UiState = {
  activeTab: 'graph',
  filters: emptyFilters,
  selectedEmitId: undefined,
  selectedNodeId: undefined,
  replaySelection: [],
  followLive: true,
  pausedLength: undefined,
  linkedChainEmitId: undefined,
  linkedRunId: undefined,
};

/** Parses a graph node id back into the filter it implies. */
export function filtersForNode(nodeId: string | undefined): Partial<TimelineFilters> {
  const [kind, id] = nodeId?.split(':') ?? [];
  if (kind === 'signal') return { signalId: Number(id), listenerId: undefined };
  if (kind === 'listener') return { listenerId: Number(id), signalId: undefined };
  return { signalId: undefined, listenerId: undefined };
}

/**
 * Creates a store. The app uses the module-level {@link inspectorStore}; tests create their own
 * or reset that one.
 */
export function createInspectorStore(limits: Partial<InspectorLimits> = {}) {
  return createStore<InspectorStore>()((set, get) => ({
    data: createInspectorState(limits),
    ui: initialUi,
    sendCommand: undefined,
    importedFileName: undefined,

    ingest(messages) {
      if (messages.length === 0) return;
      let data = get().data;
      for (const message of messages) data = ingestMessage(data, message);
      set({ data });
    },

    setConnection(patch) {
      const data = get().data;
      set({ data: { ...data, connection: { ...data.connection, ...patch } } });
    },

    setCommandSender(sender) {
      set({ sendCommand: sender });
    },

    clearData() {
      const { data } = get();
      set({
        data: { ...createInspectorState(data.limits), connection: data.connection },
        ui: {
          ...get().ui,
          selectedEmitId: undefined,
          replaySelection: [],
          pausedLength: undefined,
        },
      });
    },

    importRecording(text, fileName) {
      const { header, events } = parseExport(text);
      const fresh = createInspectorState(get().data.limits);
      const withSnapshot = ingestMessage(fresh, {
        type: 'snapshot',
        seq: 0,
        snapshot: header.snapshot,
      });
      const data = ingestEvents(withSnapshot, events as RecordedEvent[]);
      set({
        data: {
          ...data,
          connection: {
            status: 'imported',
            detail: fileName,
            app: header.app,
            agentVersion: undefined,
            replayAllowed: false,
            recording: false,
            attempt: 0,
          },
        },
        ui: { ...initialUi, activeTab: get().ui.activeTab },
        importedFileName: fileName,
        sendCommand: undefined,
      });
    },

    setTab(tab) {
      set({ ui: { ...get().ui, activeTab: tab } });
    },

    setFilters(patch) {
      const ui = get().ui;
      set({ ui: { ...ui, filters: { ...ui.filters, ...patch } } });
    },

    selectEmit(emitId) {
      set({ ui: { ...get().ui, selectedEmitId: emitId } });
    },

    selectNode(nodeId) {
      const ui = get().ui;
      set({
        ui: {
          ...ui,
          selectedNodeId: nodeId,
          filters: { ...ui.filters, ...filtersForNode(nodeId) },
        },
      });
    },

    toggleReplay(emitId) {
      const ui = get().ui;
      const picked = ui.replaySelection.includes(emitId);
      set({
        ui: {
          ...ui,
          replaySelection: picked
            ? ui.replaySelection.filter((id) => id !== emitId)
            : [...ui.replaySelection, emitId],
        },
      });
    },

    clearReplay() {
      set({ ui: { ...get().ui, replaySelection: [] } });
    },

    setFollowLive(follow) {
      set({ ui: { ...get().ui, followLive: follow } });
    },

    openChain(emitId) {
      set({ ui: { ...get().ui, activeTab: 'chains', linkedChainEmitId: emitId } });
    },

    openSagaRun(runId) {
      set({ ui: { ...get().ui, activeTab: 'sagas', linkedRunId: runId } });
    },

    setPaused(paused) {
      const ui = get().ui;
      set({
        ui: {
          ...ui,
          pausedLength: paused ? get().data.emits.timeline.length : undefined,
        },
      });
    },
  }));
}

export type InspectorStoreApi = ReturnType<typeof createInspectorStore>;

export const inspectorStore: InspectorStoreApi = createInspectorStore();

/** Reads from the app's store; pass a module-level selector, or wrap one that builds objects in `useShallow`. */
export function useInspector<T>(selector: (store: InspectorStore) => T): T {
  return useStore(inspectorStore, selector);
}

/** Resets the app store to its initial state, for tests and for leaving an import. */
export function resetInspectorStore(limits: Partial<InspectorLimits> = {}): void {
  inspectorStore.setState({
    data: createInspectorState(limits),
    ui: initialUi,
    sendCommand: undefined,
    importedFileName: undefined,
  });
}
