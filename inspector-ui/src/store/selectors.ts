/** Module-level selectors, so components subscribe with stable functions. */
import type { InspectorStore } from './store.js';

export const selectConnection = (store: InspectorStore) => store.data.connection;
export const selectGraph = (store: InspectorStore) => store.data.graph;
export const selectEmits = (store: InspectorStore) => store.data.emits;
export const selectPatterns = (store: InspectorStore) => store.data.patterns;
export const selectStats = (store: InspectorStore) => store.data.stats;
export const selectGaps = (store: InspectorStore) => store.data.gaps;
export const selectUi = (store: InspectorStore) => store.ui;
export const selectFilters = (store: InspectorStore) => store.ui.filters;
export const selectActiveTab = (store: InspectorStore) => store.ui.activeTab;
export const selectSelectedEmitId = (store: InspectorStore) => store.ui.selectedEmitId;
export const selectSelectedNodeId = (store: InspectorStore) => store.ui.selectedNodeId;
export const selectReplaySelection = (store: InspectorStore) => store.ui.replaySelection;
export const selectSendCommand = (store: InspectorStore) => store.sendCommand;
export const selectImportedFileName = (store: InspectorStore) => store.importedFileName;
export const selectLinkedChainEmitId = (store: InspectorStore) => store.ui.linkedChainEmitId;
export const selectLinkedRunId = (store: InspectorStore) => store.ui.linkedRunId;
