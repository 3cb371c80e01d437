// onramp and @onramp/sandbox as a user gets them: both workspaces packed by `npm pack` from a copy
// of the checkout (the files git would hand a fresh clone: no dist/, so prepack's build is what
// ships), and installed from the tarballs into clean projects outside the repository.
// Shared by test/packaging/install.test.ts and bench/package.bench.ts.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

/**
 * The environment of a user's shell, not of this process: no npm_* variables (from `npm run` or
 * `npm test`: npm_config_local_prefix would point a child npm at the repository), no NODE_OPTIONS,
 * no test runner's NODE_ENV or VITEST*.
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|NODE_OPTIONS$|NODE_ENV$|VITEST|TSX_|TS_NODE_)/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/** Runs `cmd` to its end, killed after `timeoutMs` (answers code null and timedOut then). */
export function run(cmd: string, args: string[], o: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Outcome> {
  const started = performance.now();
  const child = spawn(cmd, args, { cwd: o.cwd, env: o.env ?? userEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => {
    timedOut = true;
    // The whole group: npx runs node as its child, and a signal to npx alone can leave it running.
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }, o.timeoutMs ?? 300_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started, timedOut });
    });
  });
}

/** A command's outcome as one string, for assertion messages. */
export const show = (what: string, r: Outcome) => `${what}: exit ${r.code}${r.timedOut ? ' (killed: timed out)' : ''} after ${Math.round(r.ms)} ms\n--- stdout\n${r.stdout.slice(-6000)}\n--- stderr\n${r.stderr.slice(-6000)}`;

export interface PackedFile {
  path: string;
  size: number;
}
export interface Tarball {
  name: string;
  /** The tarball's absolute path. */
  file: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: PackedFile[];
}
export interface Packed {
  product: Tarball;
  sandbox: Tarball;
  ms: number;
  /** The copy of the checkout the tarballs were packed from. */
  checkout: string;
}

/** The checkout's files as git would hand them to a fresh clone (tracked, and new files not ignored), present on disk. */
function checkoutFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return [...new Set(out.split('\0').filter(Boolean))].filter((f) => existsSync(join(REPO, f)) && !lstatSync(join(REPO, f)).isDirectory());
}

/**
 * Both workspaces packed into `dir`/tarballs by `npm pack`, from a copy of the checkout in
 * `dir`/checkout (its node_modules a link to the repository's: prepack's build needs the dev tools).
 * The repository itself is left alone: its dist/ may be in use by other tests.
 */
export async function packWorkspaces(dir: string): Promise<Packed> {
  const started = performance.now();
  const checkout = join(dir, 'checkout');
  for (const f of checkoutFiles()) {
    mkdirSync(join(checkout, f, '..'), { recursive: true });
    cpSync(join(REPO, f), join(checkout, f));
  }
  symlinkSync(join(REPO, 'node_modules'), join(checkout, 'node_modules'));
  const dest = join(dir, 'tarballs');
  mkdirSync(dest, { recursive: true });
  const r = await run('npm', ['pack', '--json', '--workspace', 'onramp', '--workspace', '@onramp/sandbox', '--pack-destination', dest], { cwd: checkout, timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(show('npm pack', r));
  const answers = JSON.parse(r.stdout) as Omit<Tarball, 'file'>[];
  const tarball = (name: string): Tarball => {
    const a = answers.find((x) => x.name === name);
    if (!a) throw new Error(`npm pack made no tarball for ${name}: ${r.stdout}`);
    return { ...a, file: join(dest, (a as unknown as { filename: string }).filename) };
  };
  return { product: tarball('onramp'), sandbox: tarball('@onramp/sandbox'), ms: performance.now() - started, checkout };
}

export interface Project {
  dir: string;
  /** `npm install`'s outcome (its time in ms). */
  install: Outcome;
}

/**
 * A clean project in `dir` with `dependencies` and `devDependencies` (tarball paths or versions),
 * `"type": "module"` when `type` says so, then `npm install` (npm's cache first).
 */
export async function installProject(dir: string, o: { type?: 'module'; dependencies: Record<string, string>; devDependencies?: Record<string, string> }): Promise<Project> {
  mkdirSync(dir, { recursive: true });
  const file = (spec: string) => (spec.endsWith('.tgz') ? `file:${spec}` : spec);
  const map = (deps: Record<string, string> = {}) => Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, file(v)]));
  const pkg = { name: `onramp-user-${dir.split('/').pop()}`.toLowerCase(), version: '1.0.0', private: true, ...(o.type ? { type: o.type } : {}), dependencies: map(o.dependencies), devDependencies: map(o.devDependencies) };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, timeoutMs: 600_000 });
  if (install.code !== 0) throw new Error(show(`npm install in ${dir}`, install));
  return { dir, install };
}

/** Bytes on disk under `dir` (allocated blocks, as `du` counts them; each hard-linked file once). */
export function diskUsage(dir: string, seen = new Set<string>()): number {
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    const st = lstatSync(path, { bigint: false });
    const id = `${st.dev}:${st.ino}`;
    if (seen.has(id)) continue;
    seen.add(id);
    bytes += st.blocks * 512;
    if (e.isDirectory()) bytes += diskUsage(path, seen);
  }
  return bytes;
}

/** Whether `path` lies inside the repository (a temp dir under it would see its node_modules). */
export const insideRepo = (path: string) => !relative(REPO, path).startsWith('..');

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
