/**
 * Builds a copy of core's dist without the tracing branch in the emit methods, so the report can
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

/** Files and the number of tracing branches each must lose: emit and tryEmit, emit. */
const STRIPPED_FILES = [
  ['signal/sync-signal.js', 3],
  ['signal/async-signal.js', 1],
];

/**
 * Copies core's dist into a temporary folder, removes the tracing branch from the emit methods
 * and imports the copy.
 *
 * @returns {Promise<{ core: typeof import('@sigscope/core'), dispose: () => Promise<void> }>}
 * @throws {Error} when the built files no longer contain the expected branches
 */
export async function loadNoHookCore() {
  const require = createRequire(import.meta.url);
  const distDir = dirname(require.resolve('@sigscope/core'));
  const folder = await mkdtemp(join(tmpdir(), 'sigscope-bench-no-hook-'));
  const copy = join(folder, 'dist');
  await cp(distDir, copy, { recursive: true });
  // The copy needs "type": "module" to load as ESM from outside the workspace.
  await writeFile(join(folder, 'package.json'), '{ "type": "module" }\n');

  for (const [file, expected] of STRIPPED_FILES) {
    const path = join(copy, file);
    const source = await readFile(path, 'utf8');
    const stripped = source.replace(TRACING_BRANCH, '');
    const removed = (source.match(TRACING_BRANCH) ?? []).length;
    if (removed !== expected) {
      await rm(folder, { recursive: true, force: true });
      throw new Error(
        `loadNoHookCore: expected ${expected} tracing branches in ${file}, found ${removed}; update TRACING_BRANCH to match the current build of @sigscope/core`,
      );
    }
    await writeFile(path, stripped);
  }

  const core = await import(pathToFileURL(join(copy, 'index.js')).href);
  return { core, dispose: () => rm(folder, { recursive: true, force: true }) };
}
