// No secret in a Playwright trace (issue 21). A sandbox runs in this process, where every secret its
// servers hand out or are given is recorded on their side of the wire (console session cookies,
// Keycloak's cookies, access, ID and refresh tokens, codes, enrollment secrets, passwords posted,
// client secrets); its ready data adds the control token and the demo credentials. Then, against it,
// as a user runs them: failing `onramp run --trace` runs under console faults (one failing after the
// journey got its tokens and the enrollment secret), one cancelled mid-journey, and `onramp monitor`
// under a browser fault until it keeps artifacts. Every entry of every trace zip they leave is
// scanned for every one of those values in every spelling (raw, URL- and form-encoded,
// JSON-escaped, base64, HTTP Basic): none. The traces still open in Playwright's viewer.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type SandboxHandle } from '@onramp/sandbox';
import { localTargetEnv, localTargetYaml } from '../support/external-sandbox.ts';
import { runCli, spawnCli, startCli } from '../support/spawn-cli.ts';
import { scanTraces, type SecretValue } from '../support/trace-scan.ts';
import { traceViewerText } from '../support/trace-viewer.ts';
import { WireSecrets } from '../support/wire-secrets.ts';
import { readZip } from '../../src/engine/browser/zip.ts';

interface ReportStep { name: string; kind: string; status: string; code: string | null; artifacts?: { kind: string; path: string }[] }
interface Report { journeys: { id: string; status: string; steps: ReportStep[] }[] }

let dir: string;
let sandbox: SandboxHandle;
let config: string;
let env: Record<string, string>;
const wire = new WireSecrets();
/** Where the CLIs' temporary files go: Playwright's raw chunks among them, which must not outlive a save. */
let tmp: string;
const outputs: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onramp-trace-secrets-'));
  tmp = join(dir, 'tmp');
  await mkdir(tmp);
  wire.start();
  sandbox = await start({ log: pino({ level: 'error' }) });
  const ready = sandbox.ready();
  config = join(dir, 'onramp.config.yaml');
  const yaml = localTargetYaml(ready, [`console_url: ${ready.console}`, 'sandbox: { control_token: { env: T_CONTROL } }']);
  await writeFile(config, `${yaml}defaults:\n  output: ${join(dir, 'monitor-results')}\nmonitor:\n  jitter: 0s\n`);
  env = { ...localTargetEnv(ready), T_CONTROL: ready.controlToken, TMPDIR: tmp };
}, 60_000);
afterAll(async () => {
  wire.stop();
  await sandbox?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** What the CLIs left in their temporary folder that holds a trace: Playwright's raw chunks, our raw zips. */
const rawLeft = async () => (await readdir(tmp, { recursive: true })).filter((f) => /\.zip$|trace|onramp-raw/.test(f));

async function faults(body: { on?: string[]; off?: string[] }): Promise<void> {
  const ready = sandbox.ready();
  const res = await fetch(`${ready.platform}/__sandbox/faults`, { method: 'POST', headers: { authorization: `Bearer ${ready.controlToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

const report = async (out: string) => JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as Report;

async function traceZips(folder: string): Promise<string[]> {
  const all = await readdir(folder, { recursive: true }).catch(() => [] as string[]);
  return all.filter((f) => f.endsWith('.trace.zip')).map((f) => join(folder, f));
}

/** What the sandbox side knows, plus its ready data: the values no trace may hold. */
function runSecrets(): SecretValue[] {
  const ready = sandbox.ready();
  return [
    { what: 'system admin password', value: ready.systemAdmin.password, user: ready.systemAdmin.username },
    { what: 'admin client secret', value: ready.adminClient.clientSecret, user: ready.adminClient.clientId },
    { what: 'canary client secret', value: ready.canaryClient.clientSecret, user: ready.canaryClient.clientId },
    { what: 'control token', value: ready.controlToken },
    ...wire.secrets,
  ];
}

describe('no secret in a Playwright trace', () => {
  it.each([
    ['settings_state_local', 'operator-bootstrap', 'the token and the SCIM connection are still listed after a tab switch', 'enrollment_token_lost_on_tab_switch'],
    ['session_role_fallback_auditor', 'switch-user-login', 'the shell shows the tenant admin of the new tenant', 'session_role_fallback'],
  ])('onramp run --trace --fault %s fails %s at "%s" (%s) and keeps a trace of every browser step', async (fault, journey, step, code) => {
    const out = join(dir, `run-${fault}`);
    outputs.push(out);
    const run = await runCli(['run', '--config', config, '--target', 'local', '--journey', journey, '--fault', fault, '--trace', '--reporter', 'json', '--output', out], env, { timeoutMs: 150_000 });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(1);
    const steps = (await report(out)).journeys[0]!.steps;
    const failed = steps.find((s) => s.status === 'failed')!;
    expect([failed.name, failed.code]).toEqual([step, code]);
    const browserSteps = steps.filter((s) => s.kind === 'browser' && s.status !== 'skipped');
    expect(browserSteps.length).toBeGreaterThan(3);
    expect(browserSteps.filter((s) => !s.artifacts?.some((a) => a.kind === 'trace')).map((s) => s.name), 'browser steps without a trace').toEqual([]);
    expect(await rawLeft(), 'raw trace files left in the temporary folder').toEqual([]);
  }, 180_000);

  it('a run cancelled mid-journey leaves redacted traces only, and no raw one', async () => {
    const out = join(dir, 'run-cancelled');
    outputs.push(out);
    let sent = false;
    const { done } = spawnCli(['run', '--config', config, '--target', 'local', '--journey', 'switch-user-login', '--trace', '--reporter', 'console,json', '--output', out], env, (stdout, child) => {
      if (sent || !stdout.includes('system admin signs in through the console')) return;
      sent = true;
      child.kill('SIGTERM');
    });
    const run = await done;
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(143);
    expect((await traceZips(out)).length).toBeGreaterThan(0);
    expect(await rawLeft(), 'raw trace files left in the temporary folder').toEqual([]);
  }, 180_000);

  it('onramp monitor keeps the failed browser step\'s artifacts', async () => {
    // The monitor switches faults only in its embedded sandbox: this one's are switched here.
    await faults({ on: ['readonly_label'] });
    const monitor = startCli(['monitor', '--config', config, '--target', 'local', '--journey', 'switch-user-login', '--interval', '5s', '--port', '0', '--json'], env);
    try {
      await monitor.firstLine;
      const artifacts = join(dir, 'monitor-results', 'monitor', 'artifacts');
      await expect.poll(() => traceZips(artifacts), { timeout: 120_000, interval: 1_000 }).not.toEqual([]);
      outputs.push(join(dir, 'monitor-results'));
    } finally {
      monitor.child.kill('SIGTERM');
      await faults({ off: ['readonly_label'] });
      expect(await monitor.exit, monitor.stderr()).toBe(143);
    }
  }, 180_000);

  it('no trace entry holds any secret of the runs, in any spelling', async () => {
    const secrets = runSecrets();
    // The sandbox side saw every kind of secret the journeys used: the scan below is not vacuous.
    const kinds = { 'console session cookie': /cookie onramp_console_session/, 'Keycloak cookie': /cookie (KEYCLOAK_IDENTITY|AUTH_SESSION_ID)/, 'access/ID token': /^JWT in|^id_token|^access_token/, 'refresh token': /^refresh_token/, 'enrollment secret': /^secret in POST/, 'password posted': /^password(-new)? in/, 'client secret (Basic)': /^client secret of/, 'control token': /^control token/ };
    expect(Object.entries(kinds).filter(([, re]) => !secrets.some((s) => re.test(s.what))).map(([k]) => k), 'kinds of secret never seen on the wire').toEqual([]);
    const zips = (await Promise.all(outputs.map(traceZips))).flat();
    expect(outputs).toHaveLength(4);
    expect(zips.length).toBeGreaterThan(10);
    const scan = await scanTraces(zips, secrets);
    expect(scan.networkEntries, 'network log entries scanned').toBeGreaterThan(100);
    expect(scan.hits).toEqual([]);
    // Every log line still parses, and every resource a network entry names is in its zip.
    for (const zip of zips) {
      const entries = readZip(await readFile(zip));
      const names = new Set(entries.map((e) => e.name));
      for (const e of entries.filter((x) => /\.(trace|network)$/.test(x.name)))
        for (const l of e.data.toString('utf8').split('\n').filter(Boolean)) {
          const o = JSON.parse(l);
          const file = o.snapshot?.response?.content?._file ?? o.snapshot?.request?.postData?._file;
          if (file) expect(names.has(file), `${zip} > ${e.name} names ${file}`).toBe(true);
        }
    }
  }, 120_000);

  it('a redacted trace still opens in Playwright\'s trace viewer', async () => {
    const failed = (await report(outputs[0]!)).journeys[0]!.steps.find((s) => s.status === 'failed')!;
    const trace = failed.artifacts!.find((a) => a.kind === 'trace')!.path;
    const viewer = await traceViewerText(join(outputs[0]!, trace));
    expect(viewer).toContain('the token and the SCIM connection are still listed after a tab switch');
  }, 90_000);
});
