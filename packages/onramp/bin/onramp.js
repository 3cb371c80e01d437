#!/usr/bin/env node
// Runs the compiled CLI (dist/src/cli.bundle.js). Installed from the registry, dist/ is all there
// is. In a checkout (src/ beside it), dist/ is rebuilt first when any source is newer than it, the
// sandbox's too (scripts/rebuild-stale.mjs), so an edit never runs stale code and `npx onramp`
// needs no build step to remember.
import { existsSync } from 'node:fs';

// A checkout has the repository's tooling beside the package; an installed package has only dist/.
const checkout = new URL('../../../scripts/rebuild-stale.mjs', import.meta.url);
if (existsSync(new URL('../src/', import.meta.url)) && existsSync(checkout)) (await import(checkout.href)).rebuildStale();
const { main } = await import('../dist/src/cli.bundle.js');
process.exitCode = await main(process.argv.slice(2));
