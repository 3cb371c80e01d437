// Every document the code cites lives in the repository: a `*.md` named in a source, schema,
// migration or deploy file exists beside it, in its package, or at the repository's root.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const CITING = ['packages/onramp/src', 'packages/onramp/journeys', 'packages/onramp/contracts', 'packages/onramp/deploy', 'packages/onramp/bin', 'packages/sandbox/src'];
const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
// Files the code writes rather than reads (a bundle's evidence.md).
const WRITTEN = new Set(['evidence.md']);

/** Where a cited name may be found: the citing file's folder and the folders above it, up to the repository. */
function found(file: string, cited: string): boolean {
  if (cited.includes('://')) {
    const path = cited.split('/blob/main/')[1]?.split('#')[0];
    return !!path && existsSync(join(repo, path));
  }
  for (let d = dirname(file); d.startsWith(repo.replace(/\/$/, '')); d = dirname(d)) if (existsSync(join(d, cited))) return true;
  return false;
}

describe('cited documents', () => {
  const citations = CITING.flatMap((d) => walk(join(repo, d)))
    .filter((f) => /\.(ts|js|mjs|json|sql|ya?ml)$/.test(f))
    .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/(?:https:\/\/github\.com\/\S+?|[\w./-]+)\.md\b/g)].map((m) => ({ file: f, cited: m[0] })))
    .filter((c) => !WRITTEN.has(basename(c.cited)));

  it('finds citations to check', () => {
    expect(citations.length).toBeGreaterThan(5);
  });

  it.each(citations.map((c) => [relative(repo, c.file), c.cited] as const))('%s cites %s, which exists', (file, cited) => {
    expect(found(join(repo, file), cited)).toBe(true);
  });
});
