// Copies the built inspector UI into dist/ui, where the agent serves it from by default.
// Runs after `tsc` in this package's build script.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../../inspector-ui/dist/', import.meta.url));
const target = fileURLToPath(new URL('../dist/ui/', import.meta.url));

if (!existsSync(`${source}index.html`)) {
  console.warn(
    `copy-ui: no built inspector UI at ${source}, so dist/ui is left out. ` +
      'The agent still runs and answers "/" with a page saying the UI is not built. ' +
      'Build @sigscope/inspector-ui first, then build this package again.',
  );
  process.exit(0);
}

rmSync(target, { recursive: true, force: true });
cpSync(source, target, { recursive: true });
console.log(`copy-ui: copied the inspector UI from ${source} to ${target}`);
