// Vitest global setup: compile both packages' dist/ where a source changed since (as bin/onramp.js
// does before a command), so every test that spawns bin/onramp.js runs the compiled CLI a user runs
// after `npm ci`, built from the sources under test, and imports the sandbox as it is published.
// @ts-expect-error: repository tooling in plain JavaScript, without declarations
import { rebuildStale } from '../../scripts/rebuild-stale.mjs';

export default function setup(): void {
  rebuildStale('ignore');
}
