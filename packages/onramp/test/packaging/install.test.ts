// onramp as npm installs it (slow tier: packs and installs take a minute or two). Both workspaces are
// packed by `npm pack` (prepack builds them in full) from a copy of the checkout, and installed from
// the tarballs into clean projects outside the repository:
//  - with the sandbox, in a project with `"type": "module"` and in one without: `onramp init`, the
//    example journey type-checked against the published declarations alone (tsc), `onramp run`
//    passes, and a sandbox fault fails the run with its runbook code;
//  - the product alone: no target means exit 2 with the install hint, none of the sandbox's heavy
//    dependencies installed, the API journeys pass against a running `onramp sandbox`, and the
//    container image's ENTRYPOINT, CMD and ENV (read from the Dockerfile's canary stage) exit 2
//    naming the config file the image expects to be mounted.
// ONRAMP_KEEP_PACKAGING=1 keeps the temporary folder (its path is printed).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { FAULT_TABLE } from '../support/fault-table.ts';
import { startExternalSandbox } from '../support/external-sandbox.ts';
import { insideRepo, installProject, packWorkspaces, REPO, run, show, userEnv, type Outcome, type Packed, type Project } from './installs.ts';

const DOCKERFILE = join(REPO, 'packages/onramp/deploy/docker/Dockerfile');
/** Where the image installs the product: the canary's ENTRYPOINT names this bin. */
const IMAGE_BIN = '/app/node_modules/onramp/bin/onramp.js';
const FAULT = 'project_header_dropped';
/** The code the run must report for FAULT, from the fault table the sandbox tests use. */
const FAULT_CODE = FAULT_TABLE.find((r) => r.fault === FAULT)!.catches.find((c) => c.journey === 'project-scope')!.code;
/** The API journeys but identity-drift (see its test). */
const API_JOURNEYS = ['personal-signup', 'tenant-admin-bootstrap', 'project-scope', 'enrollment-tokens', 'idp-config-health'];
const VERSION = (JSON.parse(readFileSync(join(REPO, 'packages/onramp/package.json'), 'utf8')) as { version: string }).version;

// --- The Dockerfile, as far as this test reads it -------------------------------------------------

interface Stage {
  name?: string;
  from: string;
  instructions: { op: string; args: string }[];
}
interface ImageConfig {
  entrypoint?: string[];
  cmd?: string[];
  env: Record<string, string>;
  workdir: string;
}

/** The stages of a Dockerfile: comments dropped, continuation lines joined, one instruction a line. */
function parseDockerfile(text: string): Stage[] {
  const joined = text
    .split(/\r?\n/)
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const stages: Stage[] = [];
  for (const line of joined.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const [, op, args = ''] = /^(\w+)\s*(.*)$/.exec(line) ?? [];
    if (!op) throw new Error(`Dockerfile: cannot read "${line}"`);
    if (op.toUpperCase() === 'FROM') {
      const [from, as, name] = args.replace(/--platform=\S+\s*/, '').split(/\s+/);
      stages.push({ from: from!, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      if (!stages.length) throw new Error(`Dockerfile: ${op} before FROM`);
      stages.at(-1)!.instructions.push({ op: op.toUpperCase(), args });
    }
  }
  return stages;
}

/** ENV's pairs: `K=V K2="V 2"`, or the legacy `K V`. */
function envPairs(args: string): [string, string][] {
  if (!/^\w+=/.test(args)) {
    const [, k, v] = /^(\w+)\s+(.*)$/.exec(args) ?? [];
    return [[k!, v!]];
  }
  return [...args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g)].map(([, k, v]) => [k!, v!.startsWith('"') ? (JSON.parse(v!) as string) : v!]);
}

/** What the image of stage `name` starts with, through the stages it is built FROM (a base image outside the file adds nothing). */
function imageConfig(stages: Stage[], name: string): ImageConfig {
  const stage = stages.find((s) => s.name === name);
  if (!stage) throw new Error(`Dockerfile: no stage "${name}"`);
  const base: ImageConfig = stages.some((s) => s.name === stage.from) ? imageConfig(stages, stage.from) : { env: {}, workdir: '/' };
  const image: ImageConfig = { ...base, env: { ...base.env } };
  let cmdHere = false;
  const execForm = (op: string, args: string) => {
    try {
      return JSON.parse(args) as string[];
    } catch {
      // The shell form runs under /bin/sh -c: signals would not reach node.
      throw new Error(`Dockerfile stage ${name}: ${op} ${args} is not in exec (JSON) form`);
    }
  };
  for (const { op, args } of stage.instructions) {
    if (op === 'ENV') for (const [k, v] of envPairs(args)) image.env[k] = v;
    if (op === 'WORKDIR') image.workdir = args;
    if (op === 'CMD') {
      image.cmd = execForm(op, args);
      cmdHere = true;
    }
    if (op === 'ENTRYPOINT') {
      image.entrypoint = execForm(op, args);
      // Docker: an ENTRYPOINT resets the CMD a base image set.
      if (!cmdHere) image.cmd = undefined;
    }
  }
  return image;
}

// --- The installs -------------------------------------------------------------------------------

const timings: [string, number][] = [];
const timed = (what: string, r: Outcome) => (timings.push([what, r.ms]), r);
const npx = (p: { dir: string }, args: string[], o: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}) =>
  // `--no`: never fetch a package called onramp from the registry if the local bin were missing.
  run('npx', ['--no', '--', ...args], { cwd: o.cwd ?? p.dir, env: userEnv(o.env), timeoutMs: o.timeoutMs ?? 180_000 });

const state: { work?: string; packed?: Packed; projects: Partial<Record<'module' | 'commonjs' | 'product', Project>> } = { projects: {} };
const need = <T,>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`${what} is missing: an earlier test of this file failed`);
  return value;
};

afterAll(async () => {
  if (timings.length) console.log(`packaging timings:\n${timings.map(([w, ms]) => `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${w}`).join('\n')}`);
  if (!state.work) return;
  if (process.env.ONRAMP_KEEP_PACKAGING) console.log(`packaging: kept ${state.work}`);
  else await rm(state.work, { recursive: true, force: true });
});

describe.sequential('onramp and @onramp/sandbox installed from their tarballs', { timeout: 10 * 60_000 }, () => {
  it('npm pack ships dist/ (with declarations), README.md and LICENSE, and no sources, tests or benches', async () => {
    state.work = await mkdtemp(join(tmpdir(), 'onramp-packaging-'));
    expect(insideRepo(state.work), `${state.work} must lie outside the repository`).toBe(false);
    const packed = await packWorkspaces(state.work);
    timings.push(['npm pack (both workspaces, from a copy of the checkout: prepack builds them)', packed.ms]);
    state.packed = packed;
    const top = (t: { files: { path: string }[] }) => new Set(t.files.map((f) => f.path.split('/')[0]));
    const has = (t: { files: { path: string }[] }, path: string) => t.files.some((f) => f.path === path);

    const product = packed.product;
    console.log(`onramp: ${product.entryCount} files, ${product.size} bytes packed, ${product.unpackedSize} unpacked (${product.file})`);
    expect([...top(product)].sort()).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'bin', 'contracts', 'deploy', 'dist', 'journeys', 'package.json']));
    for (const banned of ['src', 'test', 'bench', 'scripts', 'node_modules', 'onramp-results']) expect(top(product).has(banned), `onramp's tarball holds ${banned}/`).toBe(false);
    for (const f of ['bin/onramp.js', 'dist/src/cli.bundle.js', 'dist/src/index.js', 'dist/types/src/index.d.ts', 'dist/types/src/public/config.d.ts', 'dist/types/journeys/lib/index.d.ts', 'dist/journeys/lib/index.js', 'deploy/docker/Dockerfile']) expect(has(product, f), f).toBe(true);
    // The compiled code reads the schemas at dist/contracts (a link in a checkout, which npm would leave out).
    expect(has(product, 'dist/contracts/config.schema.json'), 'dist/contracts/config.schema.json').toBe(true);
    expect(product.files.filter((f) => /\.(test|bench)\.ts$/.test(f.path))).toEqual([]);
    // onramp init's templates, where the checkout has them.
    if (existsSync(join(REPO, 'packages/onramp/templates'))) expect(top(product).has('templates'), 'templates/').toBe(true);

    const sandbox = packed.sandbox;
    console.log(`@onramp/sandbox: ${sandbox.entryCount} files, ${sandbox.size} bytes packed, ${sandbox.unpackedSize} unpacked (${sandbox.file})`);
    expect([...top(sandbox)].sort()).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'dist', 'package.json', 'realm']));
    for (const banned of ['src', 'test', 'bench', 'scripts', 'node_modules']) expect(top(sandbox).has(banned), `the sandbox's tarball holds ${banned}/`).toBe(false);
    for (const f of ['dist/index.js', 'dist/types/src/index.d.ts', 'realm/realm-sandbox.json']) expect(has(sandbox, f), f).toBe(true);
    expect(readFileSync(join(REPO, 'LICENSE'), 'utf8')).toMatch(/^Apache License\s+Version 2\.0, January 2004/);
  });

  it('installs into clean projects outside the repository: ESM and CommonJS with the sandbox, and the product alone', async () => {
    const work = need(state.work, 'the temporary folder');
    const { product, sandbox } = need(state.packed, 'the tarballs');
    const withSandbox = { dependencies: { onramp: product.file }, devDependencies: { '@onramp/sandbox': sandbox.file, typescript: '5.9.3' } };
    // In parallel: npm spends most of an install waiting on its cache and the registry.
    const [esm, cjs, alone] = await Promise.all([
      installProject(join(work, 'esm'), { type: 'module', ...withSandbox }),
      installProject(join(work, 'cjs'), withSandbox),
      installProject(join(work, 'product-only'), { dependencies: { onramp: product.file } }),
    ]);
    timed('npm install: onramp + @onramp/sandbox + typescript ("type": "module")', esm.install);
    timed('npm install: onramp + @onramp/sandbox + typescript (no "type")', cjs.install);
    timed('npm install: onramp alone', alone.install);
    Object.assign(state.projects, { module: esm, commonjs: cjs, product: alone });
    for (const p of [esm, cjs, alone]) expect(existsSync(join(p.dir, 'node_modules/onramp/bin/onramp.js')), p.dir).toBe(true);
    expect(existsSync(join(alone.dir, 'node_modules/@onramp/sandbox'))).toBe(false);
  });

  describe.each(['module', 'commonjs'] as const)('with the sandbox, a project of type %s', (type) => {
    const project = () => need(state.projects[type], `the ${type} project`);

    it('`onramp init` writes a config, an example journey importing from onramp, and a tsconfig.json', async () => {
      const r = timed(`${type}: onramp init`, await npx(project(), ['onramp', 'init']));
      expect(r.code, show('onramp init', r)).toBe(0);
      const dir = project().dir;
      for (const f of ['onramp.config.yaml', 'journeys/example.journey.ts', 'tsconfig.json']) expect(existsSync(join(dir, f)), `${f} after onramp init\n${show('onramp init', r)}`).toBe(true);
      expect(readFileSync(join(dir, 'journeys/example.journey.ts'), 'utf8')).toMatch(/from ['"]onramp['"]/);
      expect(() => parse(readFileSync(join(dir, 'onramp.config.yaml'), 'utf8'))).not.toThrow();
    });

    it('the example journey type-checks against the published declarations (tsc --noEmit)', async () => {
      const r = timed(`${type}: tsc --noEmit -p .`, await npx(project(), ['tsc', '--noEmit', '-p', '.']));
      expect(r.code, show('tsc --noEmit -p .', r)).toBe(0);
    });

    it('`onramp run` passes (exit 0)', async () => {
      const r = timed(`${type}: onramp run (after init)`, await npx(project(), ['onramp', 'run']));
      expect(r.code, show('onramp run', r)).toBe(0);
    });

    it(`\`onramp run --fault ${FAULT}\` fails (exit 1) naming ${FAULT_CODE}`, async () => {
      // init's config runs the user's journeys beside the built-in ones; project-scope is the one the
      // fault table names first for this fault (alone: the run is quicker).
      const r = timed(`${type}: onramp run --fault ${FAULT} --journey project-scope`, await npx(project(), ['onramp', 'run', '--fault', FAULT, '--journey', 'project-scope']));
      expect(r.code, show('onramp run --fault', r)).toBe(1);
      expect(r.stdout).toContain(FAULT_CODE);
    });
  });

  describe('the product alone', () => {
    const project = () => need(state.projects.product, 'the product-only project');

    it('`onramp --version` prints the package version', async () => {
      const r = await npx(project(), ['onramp', '--version']);
      expect(r.code, show('onramp --version', r)).toBe(0);
      expect(r.stdout.trim()).toBe(VERSION);
    });

    it('`onramp run` with no target exits 2 with the install hint', async () => {
      const r = timed('product: onramp run (no config, no sandbox)', await npx(project(), ['onramp', 'run'], { timeoutMs: 60_000 }));
      expect(r.code, show('onramp run', r)).toBe(2);
      expect(r.stderr).toContain('npm i -D @onramp/sandbox');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });

    it('installs none of the sandbox\'s dependencies (npm ls --omit=dev --all)', async () => {
      const r = await run('npm', ['ls', '--omit=dev', '--all'], { cwd: project().dir });
      expect(r.code, show('npm ls', r)).toBe(0);
      // Not vacuous: the tree is there.
      expect(r.stdout).toMatch(/onramp@\d/);
      expect(r.stdout).toMatch(/playwright@\d/);
      const installed = r.stdout.split('\n').filter((l) => !l.includes('UNMET OPTIONAL DEPENDENCY'));
      for (const heavy of ['@electric-sql/pglite', 'oidc-provider', '@node-rs/argon2']) expect(r.stdout, heavy).not.toContain(`${heavy}@`);
      // The sandbox is onramp's optional peer: listed as unmet, never installed.
      expect(installed.filter((l) => l.includes('@onramp/sandbox@'))).toEqual([]);
    });

    it('runs the API journeys against a running `onramp sandbox` (exit 0)', async () => {
      // Every API journey but identity-drift, which waits up to a minute for the sandbox worker's
      // next pass (the embedded sandbox's worker runs more often): the same code paths, 25 s sooner.
      const dir = join(need(state.work, 'the temporary folder'), 'external-sandbox');
      mkdirSync(dir, { recursive: true });
      const started = performance.now();
      const sandbox = await startExternalSandbox(dir);
      timings.push(['onramp sandbox (from the repository) ready', performance.now() - started]);
      try {
        const journeys = API_JOURNEYS.flatMap((j) => ['--journey', j]);
        const r = timed('product: onramp run --config sandbox.yaml --target local (5 API journeys)', await npx(project(), ['onramp', 'run', '--config', sandbox.config, '--target', 'local', ...journeys], { env: sandbox.env }));
        expect(r.code, show('onramp run --target local', r)).toBe(0);
        expect(r.stdout).toContain(`${API_JOURNEYS.length} journeys: ${API_JOURNEYS.length} passed, 0 failed`);
      } finally {
        sandbox.cli.child.kill('SIGTERM');
        await sandbox.cli.exit;
      }
    });

    it('the image\'s stages: canary (the default) installs the product alone, demo adds the sandbox', () => {
      const stages = parseDockerfile(readFileSync(DOCKERFILE, 'utf8'));
      expect(stages.at(-1)!.name, 'the last stage is what `docker build` builds by default').toBe('canary');
      const copies = (name: string) => stages.find((s) => s.name === name)!.instructions.filter((i) => i.op === 'COPY').map((i) => i.args);
      expect(copies('canary').join('\n')).not.toMatch(/sandbox/);
      expect(copies('demo').join('\n')).toMatch(/sandbox/);
      expect(imageConfig(stages, 'demo').cmd).toEqual(expect.arrayContaining(['monitor', '--target', 'sandbox']));
      const compose = parse(readFileSync(join(REPO, 'docker-compose.yml'), 'utf8')) as { services: { monitor: { build: { dockerfile: string; target: string; context: string } } } };
      expect(compose.services.monitor.build).toEqual({ context: '.', dockerfile: 'packages/onramp/deploy/docker/Dockerfile', target: 'demo' });
    });

    it('the image\'s ENTRYPOINT and CMD, with its ENV and no config mounted, exit 2 within seconds naming the config file', async (ctx) => {
      const image = imageConfig(parseDockerfile(readFileSync(DOCKERFILE, 'utf8')), 'canary');
      const entrypoint = need(image.entrypoint, 'the canary stage\'s ENTRYPOINT');
      const cmd = need(image.cmd, 'the canary stage\'s CMD');
      expect(entrypoint).toEqual(['node', IMAGE_BIN]);
      expect(image.env.ONRAMP_CHROMIUM).toBe('/usr/bin/chromium-headless-shell');
      const config = cmd[cmd.indexOf('--config') + 1];
      expect(cmd.includes('--config') && config, `the CMD names a config: ${JSON.stringify(cmd)}`).toBeTruthy();
      if (existsSync(config!)) {
        const why = `${config} exists on this machine: the run would use it, so "no config mounted" cannot be shown here`;
        console.log(`skipped: ${why}`);
        return ctx.skip(why);
      }
      // The image's bin is this project's install of the same tarball; node is this node.
      const bin = join(project().dir, 'node_modules/onramp/bin/onramp.js');
      const home = join(need(state.work, 'the temporary folder'), 'image-home');
      mkdirSync(home, { recursive: true });
      const r = timed('image: ENTRYPOINT + CMD with no config', await run(process.execPath, [bin, ...cmd], { cwd: project().dir, env: { PATH: process.env.PATH!, HOME: home, ...image.env }, timeoutMs: 20_000 }));
      expect(r.code, show(`${entrypoint.join(' ')} ${cmd.join(' ')}`, r)).toBe(2);
      expect(r.ms).toBeLessThan(10_000);
      expect(r.stderr).toContain(config);
      expect(r.stderr).toMatch(/no such file/i);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  });
});
