// Bad input to `onramp run`: a usage error (exit 2) that names the option at fault, never a stack
// trace, never a hang (each answers within seconds), and every problem at once in one block.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../support/spawn-cli.ts';

let dir: string;
let aFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onramp-bad-'));
  aFile = join(dir, 'a-file');
  await writeFile(aFile, 'not a folder');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function runWithin(args: string[], ms: number) {
  const { child, done } = spawnCli(['run', ...args]);
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const started = Date.now();
  const outcome = await done;
  clearTimeout(timer);
  return { ...outcome, ms: Date.now() - started };
}

const CASES: { name: string; args: () => string[]; says: string[] }[] = [
  { name: '--output under /proc', args: () => ['--output', '/proc/x'], says: ['--output: cannot create "/proc/x"'] },
  { name: '--output under /dev/null', args: () => ['--output', '/dev/null/x'], says: ['--output: cannot create "/dev/null/x"', 'ENOTDIR'] },
  { name: '--output under a file', args: () => ['--output', join(aFile, 'reports')], says: ['--output: cannot create', 'a file, not a folder'] },
  { name: '--output empty', args: () => ['--output', ''], says: ['--output: expected a folder, got an empty string'] },
  { name: '--reporter naming none', args: () => ['--reporter', ','], says: ['--reporter: names no reporter (known: console, json, junit, html)'] },
  { name: '--retries empty', args: () => ['--retries', ''], says: ['--retries: expected a whole number from 0 to 10, got ""'] },
  { name: '--retries negative', args: () => ['--retries', '-1'], says: ['--retries: expected a whole number from 0 to 10, got "-1"'] },
  { name: '--retries without a value', args: () => ['--retries'], says: ['--retries: needs a value'] },
  { name: '--concurrency zero', args: () => ['--concurrency', '0'], says: ['--concurrency: expected a whole number from 1 to 32, got "0"'] },
  { name: 'an unknown option', args: () => ['--bogus'], says: ['--bogus: unknown option (known: --target'] },
  { name: 'a stray argument', args: () => ['personal-signup'], says: ['unexpected argument "personal-signup"'] },
  { name: 'an unknown fault', args: () => ['--fault', 'nope'], says: ['--fault: unknown fault "nope" (known: signup_skips_default_project'] },
  { name: '--keep with a value', args: () => ['--keep=yes'], says: ['--keep: takes no value'] },
  {
    name: 'every problem at once',
    args: () => ['--bogus', '--fault', 'nope', '--retries', '-1', '--reporter', 'tap', '--journey', 'nope'],
    says: ['onramp run: 5 problems:\n  - --bogus: unknown option', '  - --fault: unknown fault "nope"', '  - --retries: expected', '  - --reporter: unknown reporter tap', '  - --journey: no journey with id "nope"', 'Usage: onramp run '],
  },
];

describe('onramp run: bad input', () => {
  it.each(CASES)('$name: exit 2, named, no stack, quick', async (c) => {
    const { code, stderr, ms } = await runWithin(c.args(), 15_000);
    expect(code, stderr).toBe(2);
    for (const text of c.says) expect(stderr).toContain(text);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(ms).toBeLessThan(15_000);
  });
});
