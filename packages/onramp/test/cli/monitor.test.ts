// `onramp monitor` as a user runs it: bad input is named (exit 2, no stack trace); SIGTERM mid-run
// interrupts the run after the grace, its cleanup leaves no synthetic identity behind, and the exit
// code is the signal's (143).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../support/spawn-cli.ts';
import { validateRuns } from '../support/runs-schema.ts';
import { startExternalSandbox, type ExternalSandbox } from '../support/external-sandbox.ts';
import { useTestPostgres } from '../../../../test/support/postgres.ts';
import pg from 'pg';
import { cleanupBudgetMs } from '../../src/engine/runner.ts';
import identityDrift from '../../journeys/identity-drift.journey.ts';

let dir: string;
let sandbox: ExternalSandbox;
let held: Server;
let heldPort: number;
const A_FILE = join(tmpdir(), `onramp-monitor-a-file-${process.pid}`);
const db = useTestPostgres();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onramp-monitor-'));
  await writeFile(A_FILE, 'not a folder');
  held = createServer();
  await new Promise<void>((r) => held.listen(0, '127.0.0.1', r));
  heldPort = (held.address() as AddressInfo).port;
  sandbox = await startExternalSandbox(dir);
}, 60_000);
afterAll(async () => {
  sandbox?.cli.child.kill('SIGTERM');
  await sandbox?.cli.exit;
  held?.close();
  await rm(dir, { recursive: true, force: true });
  await rm(A_FILE, { force: true });
});

async function configWith(name: string, monitorYaml: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, `${await readFile(sandbox.config, 'utf8')}${monitorYaml}`);
  return file;
}

describe('onramp monitor: bad input', () => {
  it.each([
    [['--port', '70000'], /--port: expected a port number from 0 to 65535 \(0 picks a free one\), got "70000"/],
    [['--interval', 'often'], /--interval: "often" is neither an interval \(30s, 5m\) nor a cron expression/],
    [['--interval', '500ms'], /--interval: an interval must be at least 1s/],
    [['--interval', '9999999999h'], /--interval: an interval must be at most 24h, got "9999999999h"/],
    [['--journey', 'nope'], /--journey: no journey with id "nope" \(known: .*personal-signup/],
    [['--target', 'staging'], /--target: no target named "staging" \(known: sandbox/],
    [['--location', 'EU West'], /--location: expected lower-case letters, digits, - and _ \(up to 63\), got "EU West"/],
    [['--fault', 'nope'], /--fault: unknown fault "nope" \(known: /],
    [['--bogus'], /--bogus: unknown option \(known: --config, --target/],
    [['--port', 'abc', '--interval', 'x', '--journey', 'nope'], /3 problems:\n {2}- --port.*\n {2}- --interval.*\n {2}- --journey/],
  ])('%j', async (args, message) => {
    const { code, stdout, stderr } = await runCli(['monitor', ...(args.includes('--port') ? [] : ['--port', '0']), ...args]);
    expect(code, `${stdout}${stderr}`).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toContain('Usage: onramp monitor');
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it.each([
    ['a schedule that is neither interval nor cron', 'monitor:\n  journeys:\n    personal-signup: { schedule: "every tuesday" }\n', /monitor\.journeys\.personal-signup\.schedule: "every tuesday" is neither an interval/],
    ['a journey the monitor does not know', 'monitor:\n  journeys:\n    nope: { schedule: 1m }\n', /monitor\.journeys: no journey with id "nope"/],
    ['an unknown field', 'monitor:\n  intervall: 30s\n', /monitor\.intervall: unknown field/],
    ['an inline database URL', 'monitor:\n  database_url: postgres://u:hunter2@db/x\n', /monitor\.database_url: must be a reference, \{env: NAME\} or \{file: PATH\}, never an inline value/],
    ['an unset database URL variable', 'monitor:\n  database_url: { env: NO_SUCH_MONITOR_DB }\n', /monitor\.database_url: environment variable NO_SUCH_MONITOR_DB is not set/],
    ['a run_timeout past its bound', 'monitor:\n  run_timeout: 30d\n', /monitor\.run_timeout: expected a duration from 1s to 1h, got "30d"/],
    ['a jitter past the 32-bit timer limit', 'monitor:\n  jitter: 9999999999h\n', /monitor\.jitter: expected a duration from 0s to 1h, got "9999999999h"/],
    ['a grace past its bound', 'monitor:\n  grace: 2h\n', /monitor\.grace: expected a duration from 0s to 1h, got "2h"/],
    ['a retention past its bound', 'monitor:\n  retention: 1000d\n', /monitor\.retention: expected a duration from 1h to 365d, got "1000d"/],
    ['a sweeper ttl past its bound', 'monitor:\n  sweeper: { ttl: 400d }\n', /monitor\.sweeper\.ttl: expected a duration from 0s to 365d, got "400d"/],
    ['an output folder that is a file', `defaults: { output: ${A_FILE} }\n`, new RegExp(`defaults\\.output \\(.*\\): cannot create "${A_FILE}/monitor/artifacts": a path above it is a file, not a folder`)],
    ['an output folder under /proc', 'defaults: { output: /proc/x }\n', /defaults\.output \(.*\): cannot create "\/proc\/x\/monitor\/artifacts"/],
    ['an output folder under /dev/null', 'defaults: { output: /dev/null/x }\n', /defaults\.output \(.*\): cannot create "\/dev\/null\/x\/monitor\/artifacts": a path above it is a file, not a folder \(ENOTDIR\)/],
    ['an empty output folder', 'defaults: { output: "" }\n', /defaults\.output: must NOT have fewer than 1 characters|defaults\.output: .*empty/],
    ['an artifacts dir that is no folder', 'monitor:\n  artifacts: { dir: /dev/null }\n', /monitor\.artifacts\.dir \(.*\): cannot create "\/dev\/null": \/dev\/null is a file, not a folder/],
  ])('config with %s: exit 2 before the HTTP server listens', async (_, yaml, message) => {
    const file = await configWith(`bad-${Math.random()}.yaml`, yaml);
    // A port someone else holds: a problem found only after listening would be named as the port's.
    const { code, stderr, timedOut } = await runCli(['monitor', '--config', file, '--target', 'local', '--port', String(heldPort)], sandbox.env, { timeoutMs: 20_000 });
    expect(timedOut, stderr).toBe(false);
    expect(code, stderr).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toContain('cannot listen');
    expect(stderr).not.toContain('hunter2');
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});

describe('onramp monitor: SIGTERM mid-run', () => {
  it("interrupts the run at once (grace 0s), its cleanup runs within the cleanup steps' own budget, no synthetic identity is left, exit 143", async () => {
    const config = await configWith('sigterm.yaml', 'monitor:\n  grace: 0s\n  sweeper: { enabled: false }\n');
    // identity-drift: ~25 s a run, a tenant and a user made early, removed by two cleanup steps.
    const monitor = startCli(['monitor', '--config', config, '--target', 'local', '--port', '0', '--json', '--interval', '5s', '--journey', 'identity-drift'], sandbox.env);
    await monitor.firstLine;
    const leftovers = async () => {
      const sweep = await runCli(['sweep', '--config', sandbox.config, '--target', 'local', '--dry-run', '--ttl', '0s', '--json'], sandbox.env);
      expect(sweep.code, sweep.stderr).toBe(0);
      return JSON.parse(sweep.stdout) as { keycloakUsers: string[]; platformUsers: string[]; tenants: string[] };
    };
    // Signal once the run has made its identities: mid-run, with something to clean up.
    const deadline = Date.now() + 40_000;
    while (!(await leftovers()).keycloakUsers.length) {
      if (Date.now() > deadline) throw new Error(`no synthetic identity within 40 s: ${monitor.stderr()}`);
    }
    monitor.child.kill('SIGTERM');
    expect(await monitor.exit, monitor.stderr()).toBe(143);
    // The cleanup budget is derived from the journey's steps, as `onramp run`'s: not a fixed 15 s.
    const budget = Math.ceil(cleanupBudgetMs([identityDrift]) / 1000);
    expect(budget).toBeGreaterThan(15);
    expect(monitor.stderr()).toContain(`SIGTERM received: no new runs; waiting up to 0 s for identity-drift, then up to ${budget} s for their cleanup (the cleanup steps' own timeouts)`);
    expect(monitor.stderr()).toContain('onramp monitor: stopped');
    expect(monitor.stderr()).not.toContain('cleanup could not remove');
    expect(await leftovers()).toMatchObject({ keycloakUsers: [], platformUsers: [], tenants: [] });
  }, 120_000);
});

describe('onramp monitor: history in Postgres', () => {
  it('migrates schema onramp, records each run there, serves it at /api/runs, and is ready', async () => {
    const url = await db.createDatabase();
    const config = await configWith('pg.yaml', 'monitor:\n  database_url: { env: T_MONITOR_DB }\n  sweeper: { enabled: false }\n  location: test-loc\n');
    const monitor = startCli(['monitor', '--config', config, '--target', 'local', '--port', '0', '--json', '--interval', '2s', '--journey', 'idp-config-health'], { ...sandbox.env, T_MONITOR_DB: url });
    const ready = (await monitor.firstLine) as { url: string };
    try {
      expect(await (await fetch(`${ready.url}/readyz`)).json()).toEqual({ status: 'ready' });
      const deadline = Date.now() + 60_000;
      let runs: { run_id: string; journey: string; location: string; status: string }[] = [];
      let answer: unknown;
      while (!runs.length) {
        if (Date.now() > deadline) throw new Error(`no run recorded within 60 s: ${monitor.stderr()}`);
        await new Promise((r) => setTimeout(r, 250));
        answer = await (await fetch(`${ready.url}/api/runs?journey=idp-config-health`)).json();
        runs = (answer as { runs: typeof runs }).runs;
      }
      expect(await validateRuns(answer), 'contracts/runs.schema.json').toEqual([]);
      expect(runs[0]).toMatchObject({ journey: 'idp-config-health', location: 'test-loc', status: 'passed' });
      const client = new pg.Client(url);
      await client.connect();
      const rows = (await client.query('SELECT run_id, location FROM onramp.runs')).rows;
      await client.end();
      expect(rows).toContainEqual({ run_id: runs[0]!.run_id, location: 'test-loc' });
    } finally {
      monitor.child.kill('SIGTERM');
      expect(await monitor.exit, monitor.stderr()).toBe(143);
    }
  }, 120_000);

  it('refuses PGlite as the monitor database, saying why (exit 2)', async () => {
    const { startEmbeddedPostgres } = await import('../../../sandbox/src/db/embedded.ts');
    const embedded = await startEmbeddedPostgres({});
    try {
      const config = await configWith('pglite.yaml', 'monitor:\n  database_url: { env: T_MONITOR_DB }\n');
      const { code, stderr } = await runCli(['monitor', '--config', config, '--target', 'local', '--port', '0'], { ...sandbox.env, T_MONITOR_DB: embedded.url });
      expect(code, stderr).toBe(2);
      expect(stderr).toMatch(/monitor\.database_url: points at PGlite .*need a real PostgreSQL server/);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      await embedded.close();
    }
  }, 60_000);
});
