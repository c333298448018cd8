/**
 * Turns the measured results into target verdicts, BENCHMARKS.md and benchmarks.json.
 */
import { readFile } from 'node:fs/promises';

/** Ratio limits of the targets. */
export const LIMITS = {
  syncEmitVsPlainLoop: 1.1,
  tryEmitVsHandLoop: 2,
  unsubscribedVsNoHook: 1.05,
  /** Per-listener time at the largest bulk add over that at the smallest. */
  bulkAddPerListenerGrowth: 1.5,
  subscribedEmitsPerSecond: 100_000,
  /** Heap growth from warm-up to the end that still counts as flat, in bytes. */
  heapGrowthBytes: 5 * 1024 * 1024,
  /**
   * RSS at the end over RSS after warm-up that still counts as flat. The limit is relative
   * because RSS also contains pages V8 and the allocator keep after a GC, which move by
   * megabytes with GC timing alone. 15% of a process of about 150 MiB is about 22 MiB.
   */
  rssGrowthRatio: 1.15,
  longTaskMs: 200,
};

const MiB = 1024 * 1024;

function formatNs(ns) {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(1)} ns`;
}

function formatRate(perSecond) {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k`;
  return perSecond.toFixed(0);
}

const formatMiB = (bytes) => `${(bytes / MiB).toFixed(1)} MiB`;
const formatSignedMiB = (bytes) => `${bytes < 0 ? '' : '+'}${formatMiB(bytes)}`;
const formatSignedPercent = (ratio) => `${ratio < 1 ? '' : '+'}${((ratio - 1) * 100).toFixed(1)}%`;

/**
 * Builds per-case rows from mitata's result and the case layout.
 * @param {import('./core.mjs').BenchCase[]} cases
 * @param {Map<string, { avg: number, p75: number, p99: number }>} statsByName
 */
export function buildCaseTables(cases, statsByName) {
  return cases.map((benchCase) => {
    const ours = benchCase.entries.find((entry) => entry.role === 'ours');
    const ourAvg = ours === undefined ? undefined : statsByName.get(ours.name)?.avg;
    const rows = benchCase.entries.map((entry) => {
      const stats = statsByName.get(entry.name);
      return {
        label: entry.label,
        role: entry.role,
        avgNs: stats?.avg,
        p75Ns: stats?.p75,
        p99Ns: stats?.p99,
        opsPerSecond: stats === undefined ? undefined : 1e9 / stats.avg,
        ratioToOurs: stats === undefined || ourAvg === undefined ? undefined : stats.avg / ourAvg,
      };
    });
    return { id: benchCase.id, title: benchCase.title, rows };
  });
}

function row(table, predicate) {
  return table.rows.find(predicate);
}

/** Evaluates every target; each verdict carries the figures and, when missed, by how much. */
export function evaluateTargets(tables, tracing, ui) {
  const byId = new Map(tables.map((table) => [table.id, table]));
  const verdicts = [];
  const push = (target, pass, figures) => verdicts.push({ target, pass, figures });

  for (const size of [1, 10, 100]) {
    const table = byId.get(`sync-emit-${size}`);
    if (table === undefined) continue;
    const ours = row(table, (r) => r.role === 'ours');
    const peers = table.rows.filter((r) => r.role === 'peer');
    const fastest = peers.reduce((best, r) => (r.avgNs < best.avgNs ? r : best));
    const loop = row(table, (r) => r.label === 'floor: plain loop');
    const vsPeer = ours.avgNs / fastest.avgNs;
    push(
      `sync emit, ${size} listener(s): at least as fast as the fastest peer`,
      vsPeer <= 1,
      `sigscope ${formatNs(ours.avgNs)}, fastest peer ${fastest.label} ${formatNs(fastest.avgNs)}: ${vsPeer.toFixed(2)}x its time${vsPeer > 1 ? ` (${((vsPeer - 1) * 100).toFixed(0)}% slower)` : ''}`,
    );
    const vsLoop = ours.avgNs / loop.avgNs;
    push(
      `sync emit, ${size} listener(s): within ${LIMITS.syncEmitVsPlainLoop}x of the plain loop`,
      vsLoop <= LIMITS.syncEmitVsPlainLoop,
      `sigscope ${formatNs(ours.avgNs)}, plain loop ${formatNs(loop.avgNs)}: ${vsLoop.toFixed(2)}x`,
    );
  }

  for (const size of [1, 10, 100]) {
    const table = byId.get(`async-emit-${size}`);
    if (table === undefined) continue;
    const ours = row(table, (r) => r.role === 'ours');
    const emittery = row(table, (r) => r.label === 'emittery');
    const ratio = ours.avgNs / emittery.avgNs;
    push(
      `async emit, ${size} listener(s): at least as fast as emittery`,
      ratio <= 1,
      `sigscope ${formatNs(ours.avgNs)}, emittery ${formatNs(emittery.avgNs)}: ${ratio.toFixed(2)}x its time`,
    );
  }

  for (const size of [3, 10]) {
    const table = byId.get(`try-emit-${size}`);
    if (table === undefined) continue;
    const ours = row(table, (r) => r.role === 'ours');
    const hand = row(table, (r) => r.role === 'floor');
    const ratio = ours.avgNs / hand.avgNs;
    push(
      `tryEmit, chain of ${size}: within ${LIMITS.tryEmitVsHandLoop}x of a hand-written loop`,
      ratio <= LIMITS.tryEmitVsHandLoop,
      `sigscope ${formatNs(ours.avgNs)}, hand-written ${formatNs(hand.avgNs)}: ${ratio.toFixed(2)}x`,
    );
  }

  const bulk = byId.get('bulk-add');
  if (bulk !== undefined) {
    const first = bulk.rows[0];
    const last = bulk.rows[bulk.rows.length - 1];
    const firstN = Number(first.label.replace(/\D/g, ''));
    const lastN = Number(last.label.replace(/\D/g, ''));
    const growth = last.avgNs / lastN / (first.avgNs / firstN);
    push(
      `adding ${lastN} keyed listeners stays linear (per-listener time grows at most ${LIMITS.bulkAddPerListenerGrowth}x from ${firstN})`,
      growth <= LIMITS.bulkAddPerListenerGrowth,
      bulk.rows.map((r) => `${r.label}: ${formatNs(r.avgNs)}`).join(', ') +
        `; ${lastN}/${firstN} time ratio ${(last.avgNs / first.avgNs).toFixed(2)} for ${lastN / firstN}x the listeners`,
    );
  }

  for (const table of tables.filter((t) => t.id.startsWith('unsubscribed-'))) {
    const ours = row(table, (r) => r.role === 'ours');
    const without = row(table, (r) => r.role === 'floor');
    const ratio = ours.avgNs / without.avgNs;
    push(
      `${table.title}: within 5% of the build without the hook`,
      ratio <= LIMITS.unsubscribedVsNoHook,
      `with hook ${formatNs(ours.avgNs)}, without ${formatNs(without.avgNs)}: ${ratio.toFixed(3)}x`,
    );
  }

  if (tracing.skipped === undefined) {
    const rate = tracing.traced.emitsPerSecond;
    push(
      `subscribed, agent streaming to one client: at least ${formatRate(LIMITS.subscribedEmitsPerSecond)} emits/s for ${tracing.seconds} s`,
      rate >= LIMITS.subscribedEmitsPerSecond,
      `${formatRate(rate)} emits/s mean (slowest second ${formatRate(tracing.traced.minSecondEmitsPerSecond)})${rate < LIMITS.subscribedEmitsPerSecond ? `, ${((1 - rate / LIMITS.subscribedEmitsPerSecond) * 100).toFixed(0)}% short` : ''}`,
    );
    const { start, end } = tracing.memory;
    const heapGrowth = end.heapUsed - start.heapUsed;
    const rssRatio = end.rss / start.rss;
    const heapFlat = heapGrowth <= LIMITS.heapGrowthBytes;
    const rssFlat = rssRatio <= LIMITS.rssGrowthRatio;
    const misses = [];
    if (!heapFlat) misses.push(`heap grew ${formatMiB(heapGrowth)}`);
    if (!rssFlat) misses.push(`RSS grew ${((rssRatio - 1) * 100).toFixed(0)}%`);
    push(
      `subscribed: memory flat after warm-up (heap growth at most ${formatMiB(LIMITS.heapGrowthBytes)} and RSS growth at most ${((LIMITS.rssGrowthRatio - 1) * 100).toFixed(0)}%)`,
      heapFlat && rssFlat,
      `heap ${formatMiB(start.heapUsed)} -> ${formatMiB(end.heapUsed)} (${formatSignedMiB(heapGrowth)}), RSS ${formatMiB(start.rss)} -> ${formatMiB(end.rss)} (${formatSignedPercent(rssRatio)}, highest once a second ${formatMiB(tracing.memory.maxRss)})${misses.length > 0 ? `: ${misses.join(', ')}` : ''}`,
    );
  } else {
    verdicts.push({
      target: 'subscribed tracing',
      pass: undefined,
      figures: `not run: ${tracing.skipped}`,
    });
  }

  if (ui.skipped !== undefined || ui.load?.skipped !== undefined) {
    verdicts.push({
      target: `UI under load: no long task over ${LIMITS.longTaskMs} ms`,
      pass: undefined,
      figures: `not run: ${ui.skipped ?? ui.load.skipped}`,
    });
  } else {
    const { longTasks } = ui.load;
    push(
      `UI under load: no long task over ${LIMITS.longTaskMs} ms`,
      longTasks.overLimit === 0,
      `${longTasks.count} long tasks, ${longTasks.overLimit} over ${LIMITS.longTaskMs} ms, longest ${longTasks.maxMs.toFixed(0)} ms, at ${formatRate(ui.load.eventsPerSecond)} events/s`,
    );
  }

  return verdicts;
}

function caseTableMarkdown(table) {
  const lines = [
    `### ${table.title}`,
    '',
    '| benchmark | kind | ns/op (mean) | p75 | p99 | ops/s | time vs sigscope |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of table.rows) {
    if (r.avgNs === undefined) {
      lines.push(`| ${r.label} | ${r.role} | not run | | | | |`);
      continue;
    }
    lines.push(
      `| ${r.label} | ${r.role} | ${formatNs(r.avgNs)} | ${formatNs(r.p75Ns)} | ${formatNs(r.p99Ns)} | ${formatRate(r.opsPerSecond)} | ${r.ratioToOurs === undefined ? '' : `${r.ratioToOurs.toFixed(2)}x`} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

function tracingMarkdown(tracing) {
  if (tracing.skipped !== undefined) return `Not run: ${tracing.skipped}\n`;
  const { agent, client, memory } = tracing;
  return [
    '| figure | value |',
    '|---|---|',
    `| emits/s without tracing (same driver, ${tracing.listeners} listener) | ${formatRate(tracing.untraced.emitsPerSecond)} |`,
    `| emits/s traced, mean over ${tracing.seconds} s | ${formatRate(tracing.traced.emitsPerSecond)} |`,
    `| emits/s traced, median / slowest second | ${formatRate(tracing.traced.medianSecondEmitsPerSecond)} / ${formatRate(tracing.traced.minSecondEmitsPerSecond)} |`,
    `| overhead per emit (traced minus untraced time) | ${formatNs(tracing.overheadNsPerEmit)} |`,
    `| trace events recorded (per emit) | ${agent.events} (${agent.eventsPerEmit.toFixed(1)}) |`,
    `| dropped: agent queue full (overflow) | ${agent.dropped.overflow} |`,
    `| dropped: client socket backed up (slowClient) | ${agent.dropped.slowClient} |`,
    `| evicted from the ring buffer (normal once it is full) | ${agent.dropped.evictedFromRingBuffer} |`,
    `| client received: messages / events / gap messages | ${client.messages} / ${client.events} / ${client.gaps} |`,
    `| client received bytes | ${formatMiB(client.bytes)} |`,
    `| RSS after warm-up -> end (highest once-a-second sample) | ${formatMiB(memory.start.rss)} -> ${formatMiB(memory.end.rss)} (${formatMiB(memory.maxRss)}) |`,
    `| heap used after warm-up -> end | ${formatMiB(memory.start.heapUsed)} -> ${formatMiB(memory.end.heapUsed)} |`,
    '',
  ].join('\n');
}

function uiMarkdown(ui) {
  if (ui.skipped !== undefined) return `Not run: ${ui.skipped}\n`;
  const lines = [];
  const { load, firstRender } = ui;
  if (load.skipped !== undefined) lines.push(`Load run not run: ${load.skipped}`, '');
  else {
    lines.push(
      '| figure | value |',
      '|---|---|',
      `| duration | ${load.seconds} s |`,
      `| trace events/s produced (traffic generators) | ${formatRate(load.eventsPerSecond)} (${load.generators}) |`,
      `| long tasks: count / over ${LIMITS.longTaskMs} ms / longest / total | ${load.longTasks.count} / ${load.longTasks.overLimit} / ${load.longTasks.maxMs.toFixed(0)} ms / ${load.longTasks.totalMs.toFixed(0)} ms |`,
      `| frame interval p50 / p95 / p99 / max | ${load.frames.p50Ms?.toFixed(1)} / ${load.frames.p95Ms?.toFixed(1)} / ${load.frames.p99Ms?.toFixed(1)} / ${load.frames.maxMs?.toFixed(1)} ms (${load.frames.count} frames) |`,
      `| JS heap used at start -> end (after GC) | ${formatMiB(load.heap.start.usedSize)} -> ${formatMiB(load.heap.end.usedSize)} |`,
      '',
    );
  }
  if (firstRender.skipped !== undefined)
    lines.push(`First render not run: ${firstRender.skipped}`, '');
  else {
    lines.push(
      `First render of a graph with ${firstRender.signals} signals and ${firstRender.listeners} listeners: first node visible after ${firstRender.firstNodeMs.toFixed(0)} ms; node count stable (${firstRender.nodeElements} node elements) after ${firstRender.settledMs.toFixed(0)} ms, both from the start of navigation.`,
      '',
    );
  }
  return lines.join('\n');
}

/** Reads the hand-written method and analysis sections that BENCHMARKS.md includes. */
export async function readNotes() {
  return {
    method: await readFile(new URL('./method.md', import.meta.url), 'utf8'),
    analysis: await readFile(new URL('./analysis.md', import.meta.url), 'utf8'),
  };
}

function describeSettings({ tracingSeconds, uiSeconds, skipUi, exposeGc }) {
  return `subscribed run ${tracingSeconds} s, UI load ${skipUi ? 'skipped' : `${uiSeconds} s`}, --expose-gc ${exposeGc ? 'on' : 'off'}`;
}

/**
 * Renders BENCHMARKS.md. `settings` is the object run.mjs stores in benchmarks.json, and `notes`
 * contains the hand-written method and analysis sections.
 */
export function renderMarkdown({
  machine,
  startedAt,
  settings,
  tables,
  verdicts,
  tracing,
  ui,
  notes,
}) {
  const verdictLines = verdicts.map(
    (v) =>
      `- **${v.pass === undefined ? 'NOT RUN' : v.pass ? 'PASS' : 'MISS'}** ${v.target}: ${v.figures}`,
  );
  const packages = Object.entries(machine.packages).map(([name, version]) => `${name} ${version}`);

  return [
    '# Benchmarks',
    '',
    '`pnpm bench` builds the packages and runs `bench/run.mjs`, which writes this page and',
    '`benchmarks.json`. The figures below come from one run; they are measurements, not',
    'guarantees, and shift by several percent between runs on the same machine.',
    '',
    `Measured ${startedAt} on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM,`,
    `Node ${machine.node} (V8 ${machine.v8}), ${machine.os}. Settings: ${describeSettings(settings)}.`,
    '',
    `Versions: ${packages.join(', ')}.`,
    '',
    '## Targets',
    '',
    ...verdictLines,
    '',
    notes.analysis,
    '',
    '## Method',
    '',
    notes.method,
    '',
    '## Core against its peers',
    '',
    '"time vs sigscope" is the row\'s mean time divided by sigscope\'s: above 1.00x the row is',
    'slower than sigscope, below it faster. Kinds: ours, peer, floor (code with no library).',
    '',
    ...tables.filter((t) => !t.id.startsWith('unsubscribed-')).map(caseTableMarkdown),
    '## Tracing',
    '',
    '### Present but unsubscribed',
    '',
    ...tables.filter((t) => t.id.startsWith('unsubscribed-')).map(caseTableMarkdown),
    '### Subscribed, agent streaming to one client',
    '',
    tracingMarkdown(tracing),
    '## Inspector UI under load',
    '',
    uiMarkdown(ui),
  ].join('\n');
}
