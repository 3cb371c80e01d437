// The README's example journey compiles against the public API, as a user's copy of it would.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
// Inside the repository, so 'onramp' resolves to the workspace package (its sources, by the
// tsconfig's onramp-source condition); scratch/ is git-ignored.
mkdirSync(join(repo, 'scratch'), { recursive: true });
const dir = mkdtempSync(join(repo, 'scratch', 'readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README example journey', () => {
  it('type-checks against onramp and onramp/steps', () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'a ```ts block in README.md').toContain("from 'onramp'");
    writeFileSync(join(dir, 'example.journey.ts'), block!);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.json', include: ['example.journey.ts'] }));
    const tsc = join(repo, 'node_modules/typescript/bin/tsc');
    expect(() => execFileSync(process.execPath, [tsc, '--noEmit', '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' })).not.toThrow();
  }, 60_000);
});
