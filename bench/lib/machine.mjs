/** The machine, runtime and package versions a report was measured with. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Packages whose versions the report lists. */
const PACKAGES = [
  '@sigscope/core',
  '@sigscope/inspector-agent',
  'eventemitter3',
  'mitt',
  'tseep',
  'nanoevents',
  'emittery',
  'mitata',
  'ws',
  '@playwright/test',
];

function readVersion(name) {
  try {
    // Walk up from the resolved entry to the package's own package.json.
    let folder = dirname(require.resolve(name));
    for (let depth = 0; depth < 5; depth++) {
      try {
        const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
        if (manifest.name === name) return manifest.version;
      } catch {
        // No package.json at this level; keep walking up.
      }
      folder = dirname(folder);
    }
  } catch {
    return 'not installed';
  }
  return 'unknown';
}

/** Describes the machine and the versions under test. */
export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    packages: Object.fromEntries(PACKAGES.map((name) => [name, readVersion(name)])),
  };
}
