/** The inspector shell: header with the connection status, tabs, and the active view. */
import { type KeyboardEvent, useRef } from 'react';
import { ConnectionStatus } from './components/ConnectionStatus.js';
import { NoAgentNotice } from './components/NoAgentNotice.js';
import { RecordingControls } from './components/RecordingControls.js';
import { selectActiveTab } from './store/selectors.js';
import { inspectorStore, type TabId, useInspector } from './store/store.js';
import { BreakersView } from './views/BreakersView.js';
import { ChainsView } from './views/ChainsView.js';
import { GraphView } from './views/GraphView.js';
import { LimitersView } from './views/LimitersView.js';
import { ReplayView } from './views/ReplayView.js';
import { SagasView } from './views/SagasView.js';
import { TimelineView } from './views/TimelineView.js';

export const tabs: readonly { readonly id: TabId; readonly label: string }[] = [
  { id: 'graph', label: 'Graph' },
  { id: 'timeline', label: 'Timeline' },
  { id: 'chains', label: 'Sync chains' },
  { id: 'breakers', label: 'Breakers' },
  { id: 'limiters', label: 'Limiters & stores' },
  { id: 'sagas', label: 'Sagas' },
  { id: 'replay', label: 'Replay' },
];

function ActiveView({ tab }: { tab: TabId }) {
  switch (tab) {
    case 'graph':
      return <GraphView />;
    case 'timeline':
      return <TimelineView />;
    case 'chains':
      return <ChainsView />;
    case 'breakers':
      return <BreakersView />;
    case 'limiters':
      return <LimitersView />;
    case 'sagas':
      return <SagasView />;
    case 'replay':
      return <ReplayView />;
  }
}

function Tabs({ active }: { active: TabId }) {
  const refs = useRef(new Map<TabId, HTMLButtonElement>());

  // Arrow keys, Home and End move between tabs and activate them, as the ARIA tabs pattern does.
  const onKeyDown = (event: KeyboardEvent) => {
    // Moves from the focused tab, which is the active one unless a script moved the focus.
    const focused = tabs.findIndex((tab) => refs.current.get(tab.id) === event.target);
    const index = focused >= 0 ? focused : tabs.findIndex((tab) => tab.id === active);
    const next = {
      ArrowRight: (index + 1) % tabs.length,
      ArrowLeft: (index - 1 + tabs.length) % tabs.length,
      Home: 0,
      End: tabs.length - 1,
    }[event.key];
    if (next === undefined) return;

    event.preventDefault();
    const tab = tabs[next]!;
    inspectorStore.getState().setTab(tab.id);
    refs.current.get(tab.id)?.focus();
  };

  return (
    <div role="tablist" aria-label="Views" className="tabs" onKeyDown={onKeyDown}>
      {tabs.map((tab) => (
        <button
          key={tab.id}
          ref={(element) => {
            if (element) refs.current.set(tab.id, element);
          }}
          type="button"
          role="tab"
          id={`tab-${tab.id}`}
          aria-selected={tab.id === active}
          aria-controls={`panel-${tab.id}`}
          tabIndex={tab.id === active ? 0 : -1}
          onClick={() => inspectorStore.getState().setTab(tab.id)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

export function App() {
  const active = useInspector(selectActiveTab);
  return (
    <div className="app">
      <header className="app-header">
        <h1>Sigscope inspector</h1>
        <ConnectionStatus />
        <RecordingControls />
      </header>
      <NoAgentNotice />
      <nav aria-label="Inspector views">
        <Tabs active={active} />
      </nav>
      <main
        role="tabpanel"
        id={`panel-${active}`}
        aria-labelledby={`tab-${active}`}
        className="panel"
        tabIndex={-1}
      >
        <ActiveView tab={active} />
      </main>
    </div>
  );
}
