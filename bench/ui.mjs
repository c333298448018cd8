/**
 * The inspector UI under load, in headless Chromium driven by Playwright: the demo shop's
 * traffic generators push about 5k trace events per second to an open inspector page, and a
 * second run times the first render of a graph with 500 signals and 2000 listeners.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { traceChannel } from '@sigscope/core';

/** Chromium binary and flags; the flags keep the browser from calling out to any network. */
export const CHROMIUM_PATH = process.env.SIGSCOPE_BENCH_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Trace events per second the load phase aims for. */
export const TARGET_EVENTS_PER_SECOND = 5000;
/** Long tasks above this many milliseconds count as a miss. */
export const LONG_TASK_LIMIT_MS = 200;
const MAX_GENERATORS = 40;
const GENERATOR_RATE = 40;
/**
 * Milliseconds Playwright may spend on one step of opening the inspector: the connection badge,
 * the tab click and the view's region. A step that cannot finish in this time has failed, and
 * the shorter limit leaves room for the rest of the run.
 */
const UI_STEP_TIMEOUT_MS = 15_000;

const require = createRequire(import.meta.url);

/** Returns why the UI benchmark cannot run here, or undefined when it can. */
function findMissingPrerequisite() {
  if (!existsSync(CHROMIUM_PATH))
    return `no Chromium at ${CHROMIUM_PATH} (set SIGSCOPE_BENCH_CHROMIUM)`;

  const agentDist = dirname(require.resolve('@sigscope/inspector-agent'));
  if (!existsSync(join(agentDist, 'ui', 'index.html'))) {
    return 'the inspector UI is not built into @sigscope/inspector-agent/dist/ui (run pnpm build)';
  }
  try {
    require.resolve('@sigscope/demo');
  } catch {
    return '@sigscope/demo is not built (run pnpm build)';
  }
  return undefined;
}

// Installed in the page before any of its scripts: collects long tasks and frame intervals.
function installPageProbes() {
  const probes = { longTasks: [], frames: [], sampling: false, lastFrame: 0 };
  globalThis.__sigscopeBench = probes;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      probes.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }
  }).observe({ type: 'longtask', buffered: true });

  const onFrame = (now) => {
    if (probes.sampling && probes.lastFrame > 0) probes.frames.push(now - probes.lastFrame);
    probes.lastFrame = now;
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
}

/**
 * Opens the inspector at `url` and selects the view `name` by the role names that the inspector
 * UI documents for its tests. Waits for the `Connection` status to read `connected`, then clicks
 * the tab in the `Views` tab list and waits for the view's region inside its tab panel.
 */
async function openInspectorView(page, url, name) {
  await page.goto(url);
  await page
    .getByRole('status', { name: 'Connection' })
    .filter({ hasText: /^\s*connected/ })
    .waitFor({ state: 'visible', timeout: UI_STEP_TIMEOUT_MS });
  await page
    .getByRole('tablist', { name: 'Views' })
    .getByRole('tab', { name, exact: true })
    .click({ timeout: UI_STEP_TIMEOUT_MS });
  await page
    .getByRole('tabpanel', { name, exact: true })
    .getByRole('region', { name, exact: true })
    .waitFor({ state: 'visible', timeout: UI_STEP_TIMEOUT_MS });
}

function percentile(sorted, fraction) {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

async function readHeap(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize, totalSize } = await cdp.send('Runtime.getHeapUsage');
  return { usedSize, totalSize };
}

/** Counts trace events in this process, to steer the traffic towards the target rate. */
function countTraceEvents() {
  const counter = { events: 0 };
  const subscriber = () => {
    counter.events++;
  };
  traceChannel.subscribe(subscriber);
  return { counter, dispose: () => traceChannel.unsubscribe(subscriber) };
}

async function measureEventRate(counter, ms) {
  const before = counter.events;
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ((counter.events - before) / ms) * 1000;
}

/** Runs the load phase: demo plus traffic, one inspector page, `seconds` of measurement. */
async function runLoad(chromium, seconds, log) {
  const { startDemo, startTraffic } = await import('@sigscope/demo');
  const demo = await startDemo({ port: 0, inspector: { port: 0 }, traffic: false });
  const { counter, dispose } = countTraceEvents();
  const generators = [];
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
  });

  try {
    const page = await browser.newPage();
    await page.addInitScript(installPageProbes);
    await openInspectorView(page, demo.inspectorUrl, 'Graph');
    const cdp = await page.context().newCDPSession(page);

    // Adds generators until the shop produces the target event rate, measured over 1 s steps.
    let rate = 0;
    while (rate < TARGET_EVENTS_PER_SECOND && generators.length < MAX_GENERATORS) {
      generators.push(
        startTraffic({
          apiUrl: demo.apiUrl,
          ratePerSecond: GENERATOR_RATE,
          seed: generators.length + 1,
        }),
      );
      rate = await measureEventRate(counter, 1000);
    }
    log(`ui: ${generators.length} traffic generators give ${Math.round(rate)} events/s`);

    const heapStart = await readHeap(cdp);
    await page.evaluate(() => {
      const probes = globalThis.__sigscopeBench;
      probes.longTasks.length = 0;
      probes.frames.length = 0;
      probes.sampling = true;
    });
    const eventsBefore = counter.events;
    const startedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const elapsedMs = performance.now() - startedAt;
    const events = counter.events - eventsBefore;
    const probes = await page.evaluate(() => {
      const probes = globalThis.__sigscopeBench;
      probes.sampling = false;
      return { longTasks: probes.longTasks, frames: probes.frames };
    });
    const heapEnd = await readHeap(cdp);

    const frames = [...probes.frames].sort((a, b) => a - b);
    const longest = probes.longTasks.reduce((max, task) => Math.max(max, task.duration), 0);
    return {
      seconds,
      generators: generators.length,
      eventsPerSecond: (events / elapsedMs) * 1000,
      longTasks: {
        count: probes.longTasks.length,
        overLimit: probes.longTasks.filter((task) => task.duration > LONG_TASK_LIMIT_MS).length,
        maxMs: longest,
        totalMs: probes.longTasks.reduce((sum, task) => sum + task.duration, 0),
      },
      frames: {
        count: frames.length,
        p50Ms: percentile(frames, 0.5),
        p95Ms: percentile(frames, 0.95),
        p99Ms: percentile(frames, 0.99),
        maxMs: frames[frames.length - 1],
      },
      heap: { start: heapStart, end: heapEnd },
    };
  } finally {
    await browser.close();
    await Promise.all(generators.map((generator) => generator.stop()));
    dispose();
    await demo.stop();
  }
}

/** Times the first render of a graph with 500 signals and 2000 listeners. */
async function runFirstRender(chromium, log) {
  const app = spawn(process.execPath, [new URL('./lib/graph-app.mjs', import.meta.url).pathname], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
  });

  try {
    const [line] = await Promise.race([
      once(app.stdout, 'data'),
      once(app, 'exit').then(([code]) => {
        throw new Error(`graph-app exited with code ${code} before printing its URL`);
      }),
    ]);
    const { url } = JSON.parse(line.toString());

    const page = await browser.newPage();
    const startedAt = performance.now();
    await openInspectorView(page, url, 'Graph');
    await page.locator('.react-flow__node').first().waitFor({ state: 'visible', timeout: 60_000 });
    const firstNodeMs = performance.now() - startedAt;

    // The graph counts as rendered once the number of node elements stays the same for 500 ms.
    const nodes = await page.evaluate(
      () =>
        new Promise((resolve) => {
          let last = -1;
          let stableSince = performance.now();
          const check = () => {
            const count = document.querySelectorAll('.react-flow__node').length;
            if (count !== last) {
              last = count;
              stableSince = performance.now();
            }
            if (performance.now() - stableSince >= 500) resolve(count);
            else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        }),
    );
    const settledMs = performance.now() - startedAt - 500;
    log(`ui: first graph node after ${Math.round(firstNodeMs)} ms, ${nodes} node elements`);
    return { signals: 500, listeners: 2000, firstNodeMs, settledMs, nodeElements: nodes };
  } finally {
    await browser.close();
    app.kill();
  }
}

/**
 * Shortens a Playwright error to fit a table cell: its first line, then the last step of its call
 * log without color codes. That step shows where an action stopped, such as another element
 * intercepting pointer events.
 */
function summarizeError(message) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matches ANSI color codes.
  const lines = message.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
  const steps = lines.map((line) => line.trim()).filter((line) => line.startsWith('- '));
  const first = lines[0].trim();
  return steps.length === 0 ? first : `${first} Last step: ${steps[steps.length - 1].slice(2)}`;
}

/**
 * Runs both UI benchmarks. Returns `{ skipped: reason }` when a prerequisite is missing, so the
 * report can say why instead of failing the whole run.
 *
 * @param {{ seconds: number, log?: (line: string) => void }} options
 */
export async function runUiBenchmarks({ seconds, log = () => {} }) {
  const missing = findMissingPrerequisite();
  if (missing !== undefined) return { skipped: missing };

  const { chromium } = await import('@playwright/test');
  const load = await runLoad(chromium, seconds, log).catch((error) => ({
    skipped: `load run failed: ${summarizeError(error.message)}`,
  }));
  const firstRender = await runFirstRender(chromium, log).catch((error) => ({
    skipped: `first-render run failed: ${summarizeError(error.message)}`,
  }));
  return { load, firstRender };
}
