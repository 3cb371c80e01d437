// bin/onramp.js runs the compiled CLI (dist/src/cli.bundle.js). In a checkout it first rebuilds
// dist/ where a source (onramp's or the sandbox's) or package.json is newer than the build, so an
// edit never runs stale code. In a copy of the checkout, dist/ is marked so the test can tell
// whether the build it runs is the marked one or a new one.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const copy = mkdtempSync(join(tmpdir(), 'onramp-bin-'));
const product = join(copy, 'packages/onramp');
const sandbox = join(copy, 'packages/sandbox');
afterAll(() => rmSync(copy, { recursive: true, force: true }));

const onramp = (...args: string[]) => execFileSync(process.execPath, [join(product, 'bin/onramp.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
/** A modification time safely after the build's stamp. */
const later = (file: string) => utimesSync(file, new Date(), new Date(Date.now() + 5_000));
/** Back before any build, once its rebuild was seen. */
const earlier = (file: string) => utimesSync(file, new Date(0), new Date(0));
const mark = () => {
  const built = join(product, 'dist/src/cli.bundle.js');
  writeFileSync(built, readFileSync(built, 'utf8').replace('onramp: synthetic journeys', 'onramp (marked): synthetic journeys'));
};

describe('bin/onramp.js in a checkout: the compiled CLI, rebuilt when a source is newer', () => {
  it('runs dist/ while fresh, and rebuilds it after an edit of onramp, of the sandbox, or of package.json', () => {
    for (const d of ['scripts', 'tsconfig.json', 'packages/onramp/src', 'packages/onramp/journeys', 'packages/onramp/bin', 'packages/onramp/scripts', 'packages/onramp/contracts', 'packages/onramp/templates', 'packages/onramp/deploy', 'packages/onramp/package.json', 'packages/sandbox/src', 'packages/sandbox/scripts', 'packages/sandbox/realm', 'packages/sandbox/package.json']) {
      mkdirSync(join(copy, d, '..'), { recursive: true });
      cpSync(join(repo, d), join(copy, d), { recursive: true });
    }
    symlinkSync(join(repo, 'node_modules'), join(copy, 'node_modules'));
    expect(execFileSync(process.execPath, [join(sandbox, 'scripts/build.mjs'), '--no-types'], { encoding: 'utf8' })).toMatch(/^@onramp\/sandbox: compiled \d+ files to dist\/$/m);
    expect(execFileSync(process.execPath, [join(product, 'scripts/build.mjs'), '--no-types'], { encoding: 'utf8' })).toMatch(/^onramp: compiled \d+ files to dist\/, and the CLI bundled$/m);
    mark();
    expect(onramp('--help')).toContain('onramp (marked): synthetic journeys');
    expect(onramp('--version')).toBe(`${JSON.parse(readFileSync(join(repo, 'packages/onramp/package.json'), 'utf8')).version}\n`);

    later(join(product, 'src/commands/help.ts'));
    expect(onramp('--help')).toMatch(/^onramp: synthetic journeys/);
    earlier(join(product, 'src/commands/help.ts'));

    mark();
    const sandboxBuilt = statSync(join(sandbox, 'dist/.built')).mtimeMs;
    later(join(sandbox, 'src/faults/catalog.ts'));
    expect(onramp('--help')).toContain('onramp (marked): synthetic journeys');
    expect(statSync(join(sandbox, 'dist/.built')).mtimeMs).toBeGreaterThan(sandboxBuilt);

    const pkg = JSON.parse(readFileSync(join(product, 'package.json'), 'utf8'));
    writeFileSync(join(product, 'package.json'), JSON.stringify({ ...pkg, version: '9.9.9' }));
    later(join(product, 'package.json'));
    expect(onramp('--version')).toBe('9.9.9\n');
  }, 120_000);
});
