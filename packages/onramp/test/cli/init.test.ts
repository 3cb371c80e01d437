// `onramp init [DIR]` through the real CLI: the files it writes, that nothing of the user's is
// overwritten (all of it named at once, exit 2) unless --force, .gitignore appended without
// duplicates, and that what it writes works: the config loads, the example journey type-checks and
// passes on the embedded sandbox, and the user's journeys run beside the built-in ones or alone.
import { execFile } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.ts';
import { DEFAULT_JOURNEYS_DIR } from '../../src/engine/load-journeys.ts';
import { expectUsageError, runCli } from '../support/spawn-cli.ts';

const TEMPLATES = fileURLToPath(new URL('../../templates/init/', import.meta.url));
const NODE_MODULES = fileURLToPath(new URL('../../../../node_modules', import.meta.url));
const TSC = join(NODE_MODULES, 'typescript', 'bin', 'tsc');

/** What init writes, by its path in DIR, and the template it copies. */
const WRITTEN: Record<string, string> = {
  'onramp.config.yaml': 'onramp.config.yaml',
  'journeys/example.journey.ts': 'journeys/example.journey.ts',
  'journeys/package.json': 'journeys/package.json',
  'tsconfig.json': 'tsconfig.json',
  '.github/workflows/onramp.yml': 'github/workflows/onramp.yml',
  '.gitlab/onramp.gitlab-ci.yml': 'gitlab/onramp.gitlab-ci.yml',
  '.gitignore': 'gitignore',
};
/** Those that stop a second init (tsconfig.json, journeys/package.json and .gitignore do not). */
const GUARDED = ['onramp.config.yaml', 'journeys/example.journey.ts', '.github/workflows/onramp.yml', '.gitlab/onramp.gitlab-ci.yml'];

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'onramp-init-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

let count = 0;
/** A fresh folder; as a project (package.json of "type": "module", onramp's node_modules), when asked. */
async function folder(o: { project?: boolean } = {}): Promise<string> {
  const dir = join(root, `p${++count}`);
  await mkdir(dir);
  if (o.project) {
    await symlink(NODE_MODULES, join(dir, 'node_modules'), 'junction');
    await writeFile(join(dir, 'package.json'), '{ "name": "my-platform-tests", "private": true, "type": "module" }\n');
  }
  return dir;
}

const init = (args: string[], cwd?: string) => runCli(['init', ...args], {}, { timeoutMs: 30_000, cwd });
const template = (name: string) => readFile(join(TEMPLATES, name), 'utf8');

/** Every file under `dir` (node_modules aside) with its text and modification time. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(e.parentPath, e.name);
    if (!e.isFile() || path.includes('node_modules')) continue;
    out[path.slice(dir.length + 1)] = `${(await lstat(path)).mtimeMs} ${await readFile(path, 'utf8')}`;
  }
  return out;
}

/** The report of a run: each journey's id and status. */
async function journeysOf(out: string): Promise<string[]> {
  const report = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as { journeys: { id: string; status: string }[] };
  return report.journeys.map((j) => `${j.id}: ${j.status}`);
}

describe('onramp init', () => {
  it('writes the config, the example journey, CI jobs, tsconfig and .gitignore, and says what next', async () => {
    const dir = await folder();
    const r = await init([dir]);
    expect(r.code, r.stderr).toBe(0);
    for (const [path, from] of Object.entries(WRITTEN)) {
      expect(await readFile(join(dir, path), 'utf8'), path).toBe(await template(from));
      expect(r.stdout, path).toContain(path);
    }
    const config = await readFile(join(dir, 'onramp.config.yaml'), 'utf8');
    expect(config.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/onramp/contracts/config.schema.json');
    expect(r.stdout).toContain(`cd ${dir}`);
    expect(r.stdout).toContain('npx onramp run');
    // No package.json lists onramp here.
    expect(r.stdout).toContain('npm i -D onramp');
    expect(r.stderr).toBe('');
  });

  it('makes DIR when it is missing, and writes into the working directory without DIR', async () => {
    const parent = await folder();
    expect((await init(['a/b'], parent)).code).toBe(0);
    expect(await readFile(join(parent, 'a/b/journeys/example.journey.ts'), 'utf8')).toBe(await template('journeys/example.journey.ts'));
    const r = await init([], join(parent, 'a'));
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(await snapshot(join(parent, 'a'))).filter((f) => !f.startsWith('b/')).sort()).toEqual(Object.keys(WRITTEN).sort());
    expect(r.stdout).not.toContain('cd ');
  });

  it('exits 2 naming every file that exists, and changes nothing; --force overwrites them', async () => {
    const dir = await folder();
    expect((await init([dir])).code).toBe(0);
    await writeFile(join(dir, 'journeys/example.journey.ts'), '// my edits\n');
    await writeFile(join(dir, 'tsconfig.json'), '{ "compilerOptions": { "strict": true } }\n');
    const before = await snapshot(dir);

    const again = await init([dir]);
    expectUsageError(again, ...GUARDED.map((f) => join(dir, f)), 'nothing was written', '--force');
    for (const kept of ['tsconfig.json', 'journeys/package.json', '.gitignore']) expect(again.stderr).not.toContain(join(dir, kept));
    expect(await snapshot(dir)).toEqual(before);

    const forced = await init([dir, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('journeys/example.journey.ts (overwritten)');
    expect(await readFile(join(dir, 'journeys/example.journey.ts'), 'utf8')).toBe(await template('journeys/example.journey.ts'));
    // The user's own tsconfig.json stays, also with --force; .gitignore gets nothing twice.
    expect(await readFile(join(dir, 'tsconfig.json'), 'utf8')).toBe('{ "compilerOptions": { "strict": true } }\n');
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe(await template('gitignore'));
    expect(forced.stdout).toMatch(/kept as they are: .*tsconfig\.json/);
  });

  it.each([
    ['only one of the files', ['.github/workflows/onramp.yml']],
    ['another config of the user (onramp would find onramp.config.yaml first)', ['onramp.config.ts']],
    ['all of them', [...GUARDED, 'onramp.config.yml']],
  ])('exits 2 for %s, naming each, writing nothing', async (_name, present) => {
    const dir = await folder();
    for (const f of present) {
      await mkdir(join(dir, f, '..'), { recursive: true });
      await writeFile(join(dir, f), 'mine\n');
    }
    const before = await snapshot(dir);
    expectUsageError(await init([dir]), ...present.map((f) => join(dir, f)));
    expect(await snapshot(dir)).toEqual(before);
  });

  it.each([
    ['no .gitignore', undefined, 'onramp-results/\n*.secrets/\n'],
    ['one without onramp\'s entries, no final newline', 'node_modules', 'node_modules\n\n# onramp'],
    ['one with onramp-results/ already', 'node_modules/\nonramp-results/\n', 'node_modules/\nonramp-results/\n\n# onramp'],
    ['one with both entries', 'dist/\n*.secrets/\nonramp-results/\n', undefined],
  ])('.gitignore: %s gets the entries it lacks, once', async (_name, existing, starts) => {
    const dir = await folder();
    if (existing !== undefined) await writeFile(join(dir, '.gitignore'), existing);
    expect((await init([dir])).code).toBe(0);
    const text = await readFile(join(dir, '.gitignore'), 'utf8');
    if (starts === undefined) expect(text).toBe(existing);
    else expect(text.startsWith(starts) || text.endsWith(starts), text).toBe(true);
    const lines = text.split('\n');
    for (const entry of ['onramp-results/', '*.secrets/']) expect(lines.filter((l) => l === entry), entry).toHaveLength(1);
    // A second run (--force) adds nothing.
    expect((await init([dir, '--force'])).code).toBe(0);
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe(text);
  });

  it.each([
    ['DIR is a file', async (d: string) => (await writeFile(join(d, 'f'), 'x'), 'f'), 'f: is not a folder'],
    ['DIR is under a file', async (d: string) => (await writeFile(join(d, 'f'), 'x'), 'f/sub'), 'f/sub: cannot create the folder'],
    ['a file where init makes a folder', async (d: string) => (await writeFile(join(d, 'journeys'), 'x'), '.'), 'journeys: is a file, where onramp init makes a folder'],
    ['a folder where init writes a file', async (d: string) => (await mkdir(join(d, 'tsconfig.json')), '.'), 'tsconfig.json: is a folder, where onramp init writes a file'],
    ['two folders', async () => 'a b', 'expected one folder, got 2: a b'],
    ['an unknown option', async () => '--yes', '--yes: unknown option'],
  ])('exits 2 when %s, naming it, writing nothing', async (_name, arrange, mention) => {
    const dir = await folder();
    const args = (await arrange(dir)).split(' ');
    const before = await snapshot(dir);
    expectUsageError(await init(args, dir), mention);
    expect(await snapshot(dir)).toEqual(before);
  });

  it('writes a config that loads without problems, its commented examples too', async () => {
    const dir = await folder();
    expect((await init([dir])).code).toBe(0);
    const file = join(dir, 'onramp.config.yaml');
    const config = await loadConfig(file, {});
    expect(config.targets.size).toBe(0);
    expect(config.journeys).toEqual({ dir: join(dir, 'journeys') });
    // Uncommented, the examples (a target with secrets from env, builtin: false, reporters) load too.
    const uncommented = (await readFile(file, 'utf8')).replace(/^(\s*)# (?=[a-z_]+:|\s)/gm, '$1');
    expect(uncommented).not.toBe(await readFile(file, 'utf8'));
    await writeFile(join(dir, 'uncommented.yaml'), uncommented);
    const env = { ONRAMP_CANARY_CLIENT_SECRET: 'a', ONRAMP_ADMIN_CLIENT_SECRET: 'b', ONRAMP_SYSADMIN_PASSWORD: 'c' };
    const full = await loadConfig(join(dir, 'uncommented.yaml'), env);
    expect([...full.targets.keys()]).toEqual(['staging']);
    expect(full.journeys).toMatchObject({ builtin: false, tags: ['api'] });
    expect(full.defaults).toMatchObject({ target: 'staging', reporters: ['console', 'junit', 'html'] });
  });

  it('writes CI jobs that install, run onramp with JUnit and HTML reports, and keep onramp-results/', async () => {
    const dir = await folder();
    expect((await init([dir])).code).toBe(0);
    const github = parse(await readFile(join(dir, '.github/workflows/onramp.yml'), 'utf8'));
    const steps = Object.values(github.jobs as Record<string, { steps: { run?: string; uses?: string; with?: Record<string, string>; if?: string }[] }>)[0]!.steps;
    const runs = steps.map((s) => s.run).filter(Boolean);
    expect(runs.indexOf('npm ci')).toBeLessThan(runs.indexOf('npx onramp run --reporter console,junit,html'));
    expect(runs.indexOf('npm ci')).toBeGreaterThanOrEqual(0);
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload).toMatchObject({ with: { path: 'onramp-results/' }, if: expect.stringContaining('cancelled()') });
    expect(steps.find((s) => s.with?.report_paths)?.with?.report_paths).toBe('onramp-results/junit.xml');

    const gitlabText = await readFile(join(dir, '.gitlab/onramp.gitlab-ci.yml'), 'utf8');
    expect(gitlabText).toContain('#   include:\n#     - local: .gitlab/onramp.gitlab-ci.yml');
    const job = parse(gitlabText).onramp as { script: string[]; artifacts: { when: string; paths: string[]; reports: { junit: string } } };
    expect(job.script.findIndex((s) => s.startsWith('npm ci'))).toBeLessThan(job.script.indexOf('npx onramp run --reporter console,junit,html'));
    expect(job.script.findIndex((s) => s.startsWith('npm ci'))).toBeGreaterThanOrEqual(0);
    expect(job.artifacts).toMatchObject({ when: 'always', paths: ['onramp-results/'], reports: { junit: 'onramp-results/junit.xml' } });
  });

  it('writes an example journey and a tsconfig that pass `tsc --noEmit`', async () => {
    const dir = await folder({ project: true });
    expect((await init([dir])).code).toBe(0);
    // onramp's sources stand in for its compiled declarations, which a published package brings.
    const { stdout } = await promisify(execFile)(process.execPath, [TSC, '-p', dir, '--customConditions', 'onramp-source']).catch((err: { stdout: string }) => ({ stdout: `tsc failed:\n${err.stdout}` }));
    expect(stdout).toBe('');
  }, 60_000);
});

describe('onramp run in a project made by onramp init', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await folder({ project: true });
    const r = await init([dir]);
    if (r.code !== 0) throw new Error(`onramp init failed:\n${r.stderr}`);
  });

  it('passes the example journey on the embedded sandbox', async () => {
    const out = join(dir, 'out-example');
    const r = await runCli(['run', '--config', join(dir, 'onramp.config.yaml'), '--journey', 'example', '--reporter', 'json', '--output', out]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(await journeysOf(out)).toEqual(['example: passed']);
  }, 120_000);

  it("runs only the user's journeys with journeys.builtin: false", async () => {
    const config = join(dir, 'own-only.yaml');
    await writeFile(config, 'journeys: { dir: ./journeys, builtin: false }\n');
    const out = join(dir, 'out-own');
    const r = await runCli(['run', '--config', config, '--reporter', 'json', '--output', out]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(await journeysOf(out)).toEqual(['example: passed']);
  }, 120_000);

  it('exits 2 naming both files of a journey id used in the built-in journeys and the project', async () => {
    const builtin = (await readdir(DEFAULT_JOURNEYS_DIR)).find((f) => f.endsWith('.journey.ts'))!;
    const id = builtin.replace(/\.journey\.ts$/, '');
    const mine = join(dir, 'journeys', builtin);
    await writeFile(mine, (await readFile(join(dir, 'journeys/example.journey.ts'), 'utf8')).replace("id: 'example'", `id: '${id}'`));
    try {
      const r = await runCli(['run', '--config', join(dir, 'onramp.config.yaml'), '--journey', 'example', '--output', join(dir, 'out-dupe')]);
      // The CLI runs compiled: its built-in journeys are dist/journeys/*.journey.js.
      expectUsageError(r, `${mine}: journey id "${id}" is also used by `, new RegExp(`also used by \\S*/journeys/${id}\\.journey\\.[jt]s\\n`));
    } finally {
      await rm(mine);
    }
  }, 120_000);
});
