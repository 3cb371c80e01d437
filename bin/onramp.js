#!/usr/bin/env node
// Runs the compiled CLI (dist/src/cli.bundle.js, written by `npm ci` through scripts/build.mjs)
// while it is newer than every source file; otherwise the TypeScript straight from the checkout through tsx, so an
// edited source never runs stale and `npx onramp` works with no build step to remember.
import { readdirSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);

/** The newest modification time under a source folder (folders too: they change when a file is added or removed). */
function newest(dir) {
  let latest = statSync(dir).mtimeMs;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = new URL(`${e.name}${e.isDirectory() ? '/' : ''}`, dir);
    latest = Math.max(latest, e.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function distIsFresh() {
  try {
    const built = statSync(new URL('dist/.built', root)).mtimeMs;
    // package.json too: dist/ carries its own copy of the version.
    return statSync(new URL('package.json', root)).mtimeMs < built && ['src/', 'journeys/'].every((d) => newest(new URL(d, root)) < built);
  } catch {
    return false;
  }
}

let main;
if (distIsFresh()) ({ main } = await import('../dist/src/cli.bundle.js'));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
