// One import path for core's own modules (patterns, replay) that need the signal classes.
export { AsyncSignal, createSignal } from './signal/async-signal.js';
export { createSyncSignal, SyncSignal } from './signal/sync-signal.js';
