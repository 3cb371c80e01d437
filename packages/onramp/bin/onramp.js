#!/usr/bin/env node
// Runs the compiled CLI (dist/src/cli.bundle.js). Installed from the registry, dist/ is all there
// is. In a checkout (src/ beside it), dist/ is rebuilt first when any source is newer than it, the
// sandbox's too, so an edit never runs stale code and `npx onramp` needs no build step to remember.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);

/** The newest modification time under a folder (folders too: they change when a file is added or removed). */
function newest(dir) {
  let latest = statSync(dir).mtimeMs;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = new URL(`${e.name}${e.isDirectory() ? '/' : ''}`, dir);
    latest = Math.max(latest, e.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function fresh(pkg, sources) {
  try {
    const built = statSync(new URL('dist/.built', pkg)).mtimeMs;
    // package.json too: dist/ carries its own copy of the version.
    return statSync(new URL('package.json', pkg)).mtimeMs < built && sources.every((d) => newest(new URL(d, pkg)) < built);
  } catch {
    return false;
  }
}

if (existsSync(new URL('src/', root))) {
  const sandbox = new URL('../sandbox/', root);
  const packages = [...(existsSync(new URL('src/', sandbox)) ? [{ pkg: sandbox, sources: ['src/'] }] : []), { pkg: root, sources: ['src/', 'journeys/'] }];
  for (const { pkg, sources } of packages) {
    // Types are for the published package; a run needs the JavaScript only.
    if (!fresh(pkg, sources)) execFileSync(process.execPath, [new URL('scripts/build.mjs', pkg).pathname, '--no-types'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
}
const { main } = await import('../dist/src/cli.bundle.js');
process.exitCode = await main(process.argv.slice(2));
