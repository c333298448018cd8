/** Entry point: mounts the app and connects to the agent named in the page address. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { agentAddressFromLocation } from './connection/address.js';
import { connectStore } from './connection/bridge.js';
import { inspectorStore } from './store/store.js';
import './styles.css';

const address = agentAddressFromLocation(window.location);
if (address.ok) {
  connectStore(inspectorStore, address.address);
} else if (address.reason === 'no-token') {
  inspectorStore.getState().setConnection({ status: 'no-token', detail: address.message });
} else {
  inspectorStore.getState().setConnection({ status: 'offline', detail: address.message });
}

const root = document.getElementById('root');
if (!root)
  throw new Error('main: the page has no #root element. Serve the index.html of this build.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
