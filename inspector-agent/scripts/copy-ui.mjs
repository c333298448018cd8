// Copies the built inspector UI into dist/ui, where the agent serves it from by default.
// Runs after `tsc` in this package's build script. Source maps stay out: they are most of the
// UI's size and the agent never serves them. With --require-ui (used by prepack) a missing UI
// build is an error, so a published package always contains the UI.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../../inspector-ui/dist/', import.meta.url));
const target = fileURLToPath(new URL('../dist/ui/', import.meta.url));

const requireUi = process.argv.includes('--require-ui');

if (!existsSync(`${source}index.html`)) {
  if (requireUi) {
    console.error(
      `copy-ui: no built inspector UI at ${source}. Run \`pnpm --filter @sigscope/inspector-ui build\` ` +
        'before packing @sigscope/inspector-agent.',
    );
    process.exit(1);
  }
  console.warn(
    `copy-ui: no built inspector UI at ${source}, so dist/ui is left out. ` +
      'The agent still runs and answers "/" with a page saying the UI is not built. ' +
      'Build @sigscope/inspector-ui first, then build this package again.',
  );
  process.exit(0);
}

rmSync(target, { recursive: true, force: true });
cpSync(source, target, { recursive: true, filter: (path) => !path.endsWith('.map') });
console.log(`copy-ui: copied the inspector UI from ${source} to ${target}`);
