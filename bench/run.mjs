/**
 * `pnpm bench`: runs every benchmark against the built packages and writes BENCHMARKS.md and
 * benchmarks.json at the repository root.
 *
 * Environment:
 *   SIGSCOPE_BENCH_SECONDS     seconds of the subscribed tracing run (default 60)
 *   SIGSCOPE_BENCH_UI_SECONDS  seconds of the UI load run (default 30)
 *   SIGSCOPE_BENCH_SKIP_UI     set to 1 to skip the Playwright runs
 *   SIGSCOPE_BENCH_CHROMIUM    Chromium binary (default /usr/bin/chromium)
 *   SIGSCOPE_BENCH_ONLY        set to core to run only the mitata cases (core against its peers
 *                              and tracing unsubscribed) and print the verdicts, or to subscribed
 *                              to run only the subscribed tracing run and print its figures,
 *                              or to ui to run only the Playwright runs and print their
 *                              figures; each writes no files
 *   SIGSCOPE_BENCH_FILTER      regular expression; mitata runs only the cases whose name matches
 *   SIGSCOPE_BENCH_PER_SECOND  set to 1 with SIGSCOPE_BENCH_ONLY=subscribed to also print the
 *                              once-a-second samples (rate, RSS, heap total and used, external)
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as shippedCore from '@sigscope/core';
import { run } from 'mitata';
import { registerCoreBenchmarks } from './core.mjs';
import { describeMachine } from './lib/machine.mjs';
import { loadNoHookCore } from './lib/no-hook-core.mjs';
import { buildCaseTables, evaluateTargets, readNotes, renderMarkdown } from './report.mjs';
import { registerUnsubscribedBenchmarks, runSubscribedLoad, warmUpEmitPaths } from './tracing.mjs';
import { runUiBenchmarks } from './ui.mjs';

function readSeconds(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new RangeError(`${name} must be a number of seconds above 0, received "${raw}"`);
  }
  return seconds;
}

const log = (line) => console.log(`[bench] ${line}`);
const tracingSeconds = readSeconds('SIGSCOPE_BENCH_SECONDS', 60);
const uiSeconds = readSeconds('SIGSCOPE_BENCH_UI_SECONDS', 30);
const skipUi = process.env.SIGSCOPE_BENCH_SKIP_UI === '1';
const only = process.env.SIGSCOPE_BENCH_ONLY ?? '';
if (only !== '' && only !== 'core' && only !== 'subscribed' && only !== 'ui') {
  throw new RangeError(
    `SIGSCOPE_BENCH_ONLY must be "core", "subscribed", "ui" or unset, received "${only}"`,
  );
}
const filter = new RegExp(process.env.SIGSCOPE_BENCH_FILTER ?? '.*');
const startedAt = new Date().toISOString();

if (typeof globalThis.gc !== 'function') {
  log('node runs without --expose-gc, so mitata cannot collect garbage between samples');
}

if (only === 'subscribed') {
  log(`tracing: subscribed run of ${tracingSeconds} s`);
  const result = await runSubscribedLoad({ seconds: tracingSeconds, log });
  const perSecond = result.memory?.perSecond ?? [];
  if (result.memory !== undefined) delete result.memory.perSecond;
  console.log(JSON.stringify(result, null, 2));
  if (process.env.SIGSCOPE_BENCH_PER_SECOND === '1') {
    for (const sample of perSecond) console.log(JSON.stringify(sample));
  }
  log('SIGSCOPE_BENCH_ONLY=subscribed: wrote no files');
  process.exit(0);
}

if (only === 'ui') {
  log(`ui: load run of ${uiSeconds} s, then the first render of the large graph`);
  const ui = await runUiBenchmarks({ seconds: uiSeconds, log });
  console.log(JSON.stringify(ui, null, 2));
  log('SIGSCOPE_BENCH_ONLY=ui: wrote no files');
  process.exit(0);
}

// The unsubscribed pairs register first, so mitata runs them before the peer cases, and both
// builds get the same warm-up: otherwise the shipped emit arrives having run every other case
// while the copy without the hook has run none.
const noHook = await loadNoHookCore();
await warmUpEmitPaths(shippedCore);
await warmUpEmitPaths(noHook.core);
const cases = registerUnsubscribedBenchmarks(noHook.core);
cases.push(...registerCoreBenchmarks());

log('mitata: core against its peers, and tracing present but unsubscribed');
const mitataResult = await run({
  format: { mitata: { name: 'longest' } },
  colors: false,
  filter,
});
await noHook.dispose();

const statsByName = new Map();
for (const trial of mitataResult.benchmarks) {
  for (const result of trial.runs) {
    if (result.stats !== undefined) statsByName.set(result.name, result.stats);
    else log(`${result.name} failed: ${String(result.error?.message ?? result.error)}`);
  }
}
const tables = buildCaseTables(cases, statsByName);

if (only === 'core') {
  for (const table of tables) {
    for (const { label, avgNs, p75Ns } of table.rows) {
      if (avgNs === undefined) continue;
      log(`${table.title}: ${label}: mean ${avgNs.toFixed(1)} ns, p75 ${p75Ns.toFixed(1)} ns`);
    }
  }
  // The targets need every case, so a filtered run prints only the figures.
  if (process.env.SIGSCOPE_BENCH_FILTER === undefined) {
    const skipped = { skipped: 'SIGSCOPE_BENCH_ONLY=core' };
    for (const verdict of evaluateTargets(tables, skipped, skipped)) {
      if (verdict.pass === undefined) continue;
      log(`${verdict.pass ? 'PASS' : 'MISS'} ${verdict.target}: ${verdict.figures}`);
    }
  }
  log('SIGSCOPE_BENCH_ONLY=core: wrote no files');
  process.exit(0);
}

log(`tracing: subscribed run of ${tracingSeconds} s`);
const tracing = await runSubscribedLoad({ seconds: tracingSeconds, log }).catch((error) => ({
  skipped: `failed: ${error.message}`,
}));

/**
 * Runs the Playwright benchmarks in a fresh Node process. In this process the micro-benchmarks
 * leave thousands of signals and listeners alive, and the demo's inspector would send all of
 * them to the page in its snapshot, which is not the load being measured.
 */
async function runUiInChildProcess() {
  const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], {
    env: { ...process.env, SIGSCOPE_BENCH_ONLY: 'ui' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const jsonLines = [];
  let pending = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('[bench]')) console.log(line);
      else jsonLines.push(line);
    }
  });
  const code = await new Promise((resolve) => child.on('close', resolve));
  jsonLines.push(pending);
  if (code !== 0) return { skipped: `failed: the UI benchmark process exited with code ${code}` };

  try {
    return JSON.parse(jsonLines.join('\n'));
  } catch (error) {
    return {
      skipped: `failed: the UI benchmark process printed no JSON result (${error.message})`,
    };
  }
}

const ui = skipUi ? { skipped: 'SIGSCOPE_BENCH_SKIP_UI=1' } : await runUiInChildProcess();

const machine = describeMachine();
const verdicts = evaluateTargets(tables, tracing, ui);
const notes = await readNotes();
const settings = {
  tracingSeconds,
  uiSeconds,
  skipUi,
  exposeGc: typeof globalThis.gc === 'function',
};

const markdown = renderMarkdown({
  machine,
  startedAt,
  settings,
  tables,
  verdicts,
  tracing,
  ui,
  notes,
});
await writeFile(new URL('../BENCHMARKS.md', import.meta.url), markdown);

if (tracing.memory !== undefined) delete tracing.memory.perSecond;
const json = {
  startedAt,
  machine,
  settings,
  targets: verdicts,
  cases: tables,
  tracing,
  ui,
  context: { cpu: mitataResult.context.cpu, runtime: mitataResult.context.runtime },
};
await writeFile(
  new URL('../benchmarks.json', import.meta.url),
  `${JSON.stringify(json, null, 2)}\n`,
);

for (const verdict of verdicts) {
  let mark = 'NOT RUN';
  if (verdict.pass === true) mark = 'PASS';
  else if (verdict.pass === false) mark = 'MISS';
  log(`${mark} ${verdict.target}: ${verdict.figures}`);
}
log('wrote BENCHMARKS.md and benchmarks.json');
