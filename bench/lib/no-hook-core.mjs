/**
 * Builds a copy of core's dist without the tracing tests on the emit paths, so the report can
 * compare the shipped emit with the same emit in a build that has no hook. The copy is made from
 * the built files at run time into a temporary folder; nothing is committed.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

// Matches `if (tracingEnabled)\n return emit…Traced(…).promise;` as tsc emits it.
const TRACING_BRANCH = /if \(tracingEnabled\)\s*\n\s*return emit\w+Traced\([^;]*\)\.promise;\s*\n/g;

// Matches the comment that starts every generated chain's source. V8 caches `new Function` by
// source text, and the two builds number their chains alike, so without a different comment a
// chain of the copy would reuse the shipped chain's cached code and call feedback.
const CHAIN_SOURCE_COMMENT = /`\/\/ sigscope compiled chain (?=\$\{serial\})/g;

/**
 * Each file, the pattern to remove or rewrite, its replacement and how often it must match.
 * sync-signal.js: `emit` without ctx, `emit` with ctx and `tryEmit`. async-signal.js: `emit`.
 * compiled-emit.js: the source comment of the generated chains. The compiled methods installed
 * on a signal contain no tracing test, because the first trace subscriber removes them, so the
 * copy keeps them as they are.
 */
const STRIPPED = [
  ['signal/sync-signal.js', TRACING_BRANCH, '', 3],
  ['signal/async-signal.js', TRACING_BRANCH, '', 1],
  ['signal/compiled-emit.js', CHAIN_SOURCE_COMMENT, '$&without hook ', 1],
];

/**
 * Copies core's dist into a temporary folder, removes the tracing tests from the prototype emit
 * methods, renames the generated chains, and imports the copy.
 *
 * @returns {Promise<{ core: typeof import('@sigscope/core'), dispose: () => Promise<void> }>}
 * @throws {Error} when a pattern matches a built file more or fewer times than expected
 */
export async function loadNoHookCore() {
  const require = createRequire(import.meta.url);
  const distDir = dirname(require.resolve('@sigscope/core'));
  const folder = await mkdtemp(join(tmpdir(), 'sigscope-bench-no-hook-'));
  const copy = join(folder, 'dist');
  await cp(distDir, copy, { recursive: true });
  // The copy needs "type": "module" to load as ESM from outside the workspace.
  await writeFile(join(folder, 'package.json'), '{ "type": "module" }\n');

  for (const [file, pattern, replacement, expected] of STRIPPED) {
    const path = join(copy, file);
    const source = await readFile(path, 'utf8');
    const found = (source.match(pattern) ?? []).length;
    if (found !== expected) {
      await rm(folder, { recursive: true, force: true });
      throw new Error(
        `loadNoHookCore: expected ${expected} match(es) of ${pattern} in ${file}, found ${found}; update STRIPPED in bench/lib/no-hook-core.mjs to match the current build of @sigscope/core`,
      );
    }
    await writeFile(path, source.replace(pattern, replacement));
  }

  const core = await import(pathToFileURL(join(copy, 'index.js')).href);
  return { core, dispose: () => rm(folder, { recursive: true, force: true }) };
}
