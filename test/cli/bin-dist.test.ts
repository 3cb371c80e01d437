// bin/onramp.js runs the compiled CLI (dist/src/cli.bundle.js) only while it is newer than every
// source, and the TypeScript through tsx otherwise: an edited source or package.json never runs
// stale code. In a copy of the checkout, dist/ is marked so the test can tell which one answered.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const copy = mkdtempSync(join(tmpdir(), 'onramp-bin-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

const onramp = (...args: string[]) => execFileSync(process.execPath, [join(copy, 'bin/onramp.js'), ...args], { encoding: 'utf8', timeout: 30_000 });
/** A modification time safely after the build's stamp. */
const later = (file: string) => utimesSync(file, new Date(), new Date(Date.now() + 5_000));

describe('bin/onramp.js: compiled or from source', () => {
  it('builds dist/ file for file, runs it while fresh, and the sources once one is newer', () => {
    for (const d of ['src', 'journeys', 'bin', 'scripts', 'contracts', 'deploy', 'package.json']) cpSync(join(repo, d), join(copy, d), { recursive: true });
    symlinkSync(join(repo, 'node_modules'), join(copy, 'node_modules'));
    expect(execFileSync(process.execPath, [join(copy, 'scripts/build.mjs')], { encoding: 'utf8' })).toMatch(/^onramp: compiled \d+ files to dist\/, and the CLI bundled$/m);
    const built = join(copy, 'dist/src/cli.bundle.js');
    writeFileSync(built, readFileSync(built, 'utf8').replace('onramp: synthetic journeys', 'onramp (compiled): synthetic journeys'));

    expect(onramp('--help')).toContain('onramp (compiled): synthetic journeys');
    expect(onramp('--version')).toBe(`${JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version}\n`);

    later(join(copy, 'src/commands/help.ts'));
    expect(onramp('--help')).toMatch(/^onramp: synthetic journeys/);

    execFileSync(process.execPath, [join(copy, 'scripts/build.mjs')]);
    const pkg = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8'));
    writeFileSync(join(copy, 'package.json'), JSON.stringify({ ...pkg, version: '9.9.9' }));
    later(join(copy, 'package.json'));
    expect(onramp('--version')).toBe('9.9.9\n');
  }, 60_000);
});
