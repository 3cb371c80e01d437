// Vitest global setup: compile dist/ before the tests, so every test that spawns bin/onramp.js runs
// the compiled CLI a user runs after `npm ci`, built from the sources under test.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url))], { stdio: 'ignore' });
}
