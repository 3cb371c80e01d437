// In a checkout: rebuild each package whose dist/ is older than one of its sources or its
// package.json, the sandbox first (onramp's build links against nothing of it, but a run loads
// it). Used by bin/onramp.js before every command run from a checkout, and by the tests' global
// setup. Repository tooling: no esbuild here, so a fresh checkout pays only the stats (a few ms).
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = [
  { root: join(repo, 'packages/sandbox'), sources: ['src'] },
  { root: join(repo, 'packages/onramp'), sources: ['src', 'journeys', 'contracts', 'templates'] },
];

/** The newest modification time under `dir` (folders too: they change when a file is added or removed). */
function newest(dir) {
  let latest = statSync(dir).mtimeMs;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    latest = Math.max(latest, e.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Whether `root`/dist was built after every file under `sources` and package.json changed. */
function distIsFresh(root, sources) {
  try {
    const built = statSync(join(root, 'dist', '.built')).mtimeMs;
    return statSync(join(root, 'package.json')).mtimeMs < built && sources.every((d) => newest(join(root, d)) < built);
  } catch {
    return false;
  }
}

/** Rebuilds the stale packages, JavaScript only (declarations are for the published package). */
export function rebuildStale(stdio = ['ignore', 'ignore', 'inherit']) {
  for (const { root, sources } of PACKAGES) {
    if (!distIsFresh(root, sources)) execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--no-types'], { stdio });
  }
}
