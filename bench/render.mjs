/**
 * `node render.mjs`: rewrites BENCHMARKS.md from benchmarks.json and the current method.md and
 * analysis.md, without measuring again. Use it after editing the hand-written sections.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { evaluateTargets, readNotes, renderMarkdown } from './report.mjs';

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

// Records written before run.mjs kept only the first line of a Playwright error.
function sanitizeUi(ui) {
  const firstLine = (text) => (text === undefined ? undefined : text.split('\n')[0].trim());
  if (ui.skipped !== undefined) return { ...ui, skipped: firstLine(ui.skipped) };
  return {
    ...ui,
    load: ui.load.skipped === undefined ? ui.load : { skipped: firstLine(ui.load.skipped) },
  };
}

const markdown = renderMarkdown({
  machine: recorded.machine,
  startedAt: recorded.startedAt,
  settings: recorded.settings,
  tables: recorded.cases,
  // Evaluated again, so a change of a limit or of a verdict's wording shows without a new run.
  verdicts: evaluateTargets(recorded.cases, recorded.tracing, sanitizeUi(recorded.ui)),
  tracing: recorded.tracing,
  ui: sanitizeUi(recorded.ui),
  notes: await readNotes(),
});
await writeFile(new URL('../BENCHMARKS.md', import.meta.url), markdown);
console.log('[bench] wrote BENCHMARKS.md from benchmarks.json');
