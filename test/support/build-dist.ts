// Vitest global setup: compile both packages' dist/ before the tests (where a source changed since),
// so every test that spawns bin/onramp.js runs the compiled CLI a user runs after `npm ci`, built
// from the sources under test, and imports the sandbox as it is published.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: repository tooling in plain JavaScript, without declarations
import { distIsFresh } from '../../scripts/compile.mjs';

const PACKAGES = [
  { root: '../../packages/sandbox/', sources: ['src'] },
  { root: '../../packages/onramp/', sources: ['src', 'journeys'] },
];

export default function setup(): void {
  for (const p of PACKAGES) {
    const root = fileURLToPath(new URL(p.root, import.meta.url));
    if (!distIsFresh(root, p.sources)) execFileSync(process.execPath, [`${root}scripts/build.mjs`], { stdio: 'ignore' });
  }
}
