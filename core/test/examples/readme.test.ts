import { readdirSync, readFileSync } from 'node:fs';
import { format } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';

const examplesFolder = new URL('../../examples/readme/', import.meta.url);
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const readmeBlocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);

/**
 * Imports an example, which runs its top-level code, and returns what it printed. With
 * `fakeTimers`, the loop below advances the fake clock once the example has printed its first
 * line, which shows that the module has loaded, until the example has finished.
 */
async function runExample(file: string, fakeTimers: boolean): Promise<string[]> {
  const lines: string[] = [];
  let markFirstLine: () => void = () => {};
  const firstLine = new Promise<void>((resolve) => {
    markFirstLine = resolve;
  });
  vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => {
    lines.push(format(...values));
    markFirstLine();
  });

  if (fakeTimers)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
  let finished = false;
  const run = import(/* @vite-ignore */ `../../examples/readme/${file}`).finally(() => {
    finished = true;
  });
  if (fakeTimers) {
    await Promise.race([run, firstLine]);
    for (let step = 0; !finished && step < 1_000; step++) await vi.advanceTimersByTimeAsync(50);
  }
  await run;
  return lines;
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('README examples', () => {
  const files = readdirSync(examplesFolder).filter((file) => file.endsWith('.ts'));

  it.each(files)('%s appears verbatim in the README', (file) => {
    const source = readFileSync(new URL(file, examplesFolder), 'utf8');

    expect(readmeBlocks).toContain(source);
  });

  it.each([
    // The charge listener is an async function, so it logs before its first await: before the
    // async signal's listener, which starts a microtask later.
    ['quick-start.ts', false, ['charged 25', 'email for order-1']],
    ['try-emit.ts', false, ['rejected: total must be positive']],
    ['cancellation.ts', false, ['cancelled: AbortError', 'not started: shutting down']],
    ['tracing.ts', false, ['listener 0 failed', 'chain failed']],
    [
      'circuit-breaker.ts',
      true,
      [
        'call failed',
        'closed -> open: 2 consecutive failures',
        'call failed',
        'rejected fast',
        'open -> half-open: recovery timeout elapsed',
        'half-open -> closed: 1 successful trial calls',
        'in stock closed { calls: 4, successes: 1, failures: 2, timeouts: 0, rejections: 1 }',
      ],
    ],
    [
      'saga.ts',
      false,
      [
        'retry charge after attempt 1 in 10 ms',
        'retry charge after attempt 2 in 20 ms',
        'released r-1',
        'charge failed: card declined',
        'rolled_back rolled_back, failed, failed',
      ],
    ],
    [
      'event-aggregator.ts',
      false,
      ['user auth req-42 {"userId":"u1"}', 'order orders undefined {"total":250}'],
    ],
    [
      'rate-limited-signal.ts',
      true,
      [
        '1 emitted',
        '2 emitted',
        '3 queued',
        '4 queued',
        '5 dropped, retry in 100 ms',
        'sent 1',
        'sent 2',
        'sent 3',
        'sent 4',
        'dropped 1 discarded 0',
      ],
    ],
    [
      'event-store.ts',
      false,
      [
        'stale: the store is at version 2',
        'appended 1 deposited',
        'appended 2 withdrawn',
        'balance 70',
      ],
    ],
  ] as const)('%s prints what the README shows', async (file, fakeTimers, expected) => {
    const lines = await runExample(file, fakeTimers);

    expect(lines.filter((line) => !line.startsWith('snapshot of'))).toEqual(expected);
  });
});
