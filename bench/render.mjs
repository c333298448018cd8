/**
 * `node render.mjs`: rewrites BENCHMARKS.md from benchmarks.json and the current method.md and
 * analysis.md, without measuring again. Use it after editing the hand-written sections.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { readNotes, renderMarkdown } from './report.mjs';

const jsonUrl = new URL('../benchmarks.json', import.meta.url);
let recorded;
try {
  recorded = JSON.parse(await readFile(jsonUrl, 'utf8'));
} catch (error) {
  throw new Error(
    `render.mjs: cannot read ${jsonUrl.pathname}; run \`pnpm bench\` first to record one`,
    { cause: error },
  );
}

const markdown = renderMarkdown({
  machine: recorded.machine,
  startedAt: recorded.startedAt,
  settings: recorded.settings,
  tables: recorded.cases,
  verdicts: recorded.targets,
  tracing: recorded.tracing,
  ui: recorded.ui,
  notes: await readNotes(),
});
await writeFile(new URL('../BENCHMARKS.md', import.meta.url), markdown);
console.log('[bench] wrote BENCHMARKS.md from benchmarks.json');
