// `onramp monitor` as a user runs it: bad input is named (exit 2, no stack trace); SIGTERM mid-run
// lets the run finish, its cleanup leaves no synthetic identity behind, and the exit code is 0.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../support/spawn-cli.ts';
import { validateRuns } from '../support/runs-schema.ts';
import { startExternalSandbox, type ExternalSandbox } from '../support/external-sandbox.ts';
import { useTestPostgres } from '../../../../test/support/postgres.ts';
import pg from 'pg';

let dir: string;
let sandbox: ExternalSandbox;
const db = useTestPostgres();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onramp-monitor-'));
  sandbox = await startExternalSandbox(dir);
}, 60_000);
afterAll(async () => {
  sandbox?.cli.child.kill('SIGTERM');
  await sandbox?.cli.exit;
  await rm(dir, { recursive: true, force: true });
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
  ])('config with %s', async (_, yaml, message) => {
    const file = await configWith(`bad-${Math.random()}.yaml`, yaml);
    const { code, stderr } = await runCli(['monitor', '--config', file, '--target', 'local', '--port', '0'], sandbox.env);
    expect(code, stderr).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toContain('hunter2');
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});

describe('onramp monitor: SIGTERM mid-run', () => {
  it('lets the run finish, its cleanup runs, no synthetic identity is left, exit 0', async () => {
    const config = await configWith('sigterm.yaml', 'monitor:\n  grace: 30s\n  sweeper: { enabled: false }\n');
    const monitor = startCli(['monitor', '--config', config, '--target', 'local', '--port', '0', '--json', '--interval', '5s', '--journey', 'tenant-admin-bootstrap', '--journey', 'personal-signup'], sandbox.env);
    const ready = (await monitor.firstLine) as { url: string };
    // Wait until a run is in flight (the status page marks it), then signal.
    const deadline = Date.now() + 30_000;
    while (!(await (await fetch(ready.url)).text()).includes('(running)')) {
      if (Date.now() > deadline) throw new Error('no run started within 30 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    monitor.child.kill('SIGTERM');
    expect(await monitor.exit, monitor.stderr()).toBe(0);
    expect(monitor.stderr()).toMatch(/SIGTERM received: no new runs; waiting up to 30 s for (tenant-admin-bootstrap|personal-signup)/);
    expect(monitor.stderr()).toContain('onramp monitor: stopped');

    const sweep = await runCli(['sweep', '--config', sandbox.config, '--target', 'local', '--dry-run', '--ttl', '0s', '--json'], sandbox.env);
    expect(sweep.code, sweep.stderr).toBe(0);
    expect(JSON.parse(sweep.stdout)).toMatchObject({ keycloakUsers: [], platformUsers: [], tenants: [] });
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
      expect(await monitor.exit, monitor.stderr()).toBe(0);
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
