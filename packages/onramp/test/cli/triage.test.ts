// `onramp triage` against a sandbox that outlives one command (`onramp sandbox` on a throwaway
// PostgreSQL 15, named by a config target with its database and request log file), as an
// engineer runs it during an incident:
// - an id taken from a failed `onramp run` reproduces that run's bundle;
// - `--snapshot`, a corrective mutation through the API, then `--compare` shows the restored
//   membership and the audit row of the mutation, and the exit code turns 0;
// - `--retest JOURNEY` confirms the resolution by new correlation ids;
// - bad input is a usage error (exit 2) naming the option.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { runCli, ONRAMP_BIN } from '../support/spawn-cli.ts';
import { useTestPostgres } from '../../../../test/support/postgres.ts';
import { localTargetEnv, localTargetYaml } from '../support/external-sandbox.ts';
import type { Evidence } from '../../src/triage/evidence.ts';
import { scanForSecrets } from '../triage/secret-scan.ts';

interface Ready { platform: string; idp: string; realm: string; controlToken: string; adminClient: { clientId: string; clientSecret: string }; canaryClient: { clientId: string; clientSecret: string }; systemAdmin: { username: string; password: string } }

const pg = useTestPostgres();
let dir: string;
let sandbox: ChildProcess;
let ready: Ready;
let config: string;
let env: Record<string, string>;
let logFd: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onramp-triage-'));
  const db = await pg.createDatabase();
  // The sandbox's request log (stderr) goes straight to a file the config names: what an exported
  // `kubectl logs` would be where no Loki runs.
  const logFile = join(dir, 'api.log');
  logFd = openSync(logFile, 'a');
  sandbox = spawn(process.execPath, [ONRAMP_BIN, 'sandbox', '--json', '--database', db], { stdio: ['ignore', 'pipe', logFd] });
  ready = await new Promise<Ready>((resolve, reject) => {
    createInterface({ input: sandbox.stdout! }).once('line', (l) => resolve(JSON.parse(l)));
    sandbox.once('exit', (code) => reject(new Error(`onramp sandbox exited ${code}`)));
  });
  config = join(dir, 'onramp.config.yaml');
  await writeFile(config, localTargetYaml(ready, ['database_url: { env: T_DB }', `logs: { file: ${logFile}, grafana_url: https://grafana.example.test }`]));
  env = { ...localTargetEnv(ready), T_DB: db };
}, 90_000);

afterAll(async () => {
  if (sandbox && sandbox.exitCode === null) {
    const gone = new Promise((r) => sandbox.once('exit', r));
    sandbox.kill('SIGTERM');
    await gone;
  }
  if (logFd) closeSync(logFd);
  await rm(dir, { recursive: true, force: true });
}, 30_000);

const triage = (...args: string[]) => runCli(['triage', ...args, '--config', config, '--target', 'local'], env);
const bundle = async (out: string, id: string) => JSON.parse(await readFile(join(out, 'evidence', id, 'evidence.json'), 'utf8')) as Evidence;

async function api(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await request(new URL(path, ready.platform), { method: method as 'GET', headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers }, body: body ? JSON.stringify(body) : undefined });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : undefined, correlationId: String(res.headers['x-correlation-id']) };
}

async function token(username: string, password: string): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'password', client_id: ready.canaryClient.clientId, client_secret: ready.canaryClient.clientSecret, username, password, scope: 'openid' });
  const res = await request(`${ready.idp}/realms/${ready.realm}/protocol/openid-connect/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  const body = (await res.body.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`login as ${username} failed: ${res.statusCode} ${JSON.stringify(body)}`);
  return body.access_token;
}

async function faults(on: string[], off: string[]) {
  const res = await request(`${ready.platform}/__sandbox/faults`, { method: 'POST', headers: { authorization: `Bearer ${ready.controlToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ on, off }) });
  expect(res.statusCode).toBe(200);
  await res.body.text();
}

describe('onramp triage <id> against a running sandbox', () => {
  it('reproduces the bundle of a failed run from its correlation id; --retest confirms the resolution', async () => {
    await faults(['admin_user_missing_project_membership'], []);
    const runOut = join(dir, 'run');
    const run = await runCli(['run', '--config', config, '--target', 'local', '--journey', 'tenant-admin-bootstrap', '--keep', '--reporter', 'json', '--output', runOut], env);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(1);
    const report = JSON.parse(await readFile(join(runOut, 'results.json'), 'utf8')) as { journeys: { steps: { name: string; code: string | null; correlation_id: string | null; evidence?: string }[] }[] };
    const failed = report.journeys[0]!.steps.find((s) => s.code === 'membership_missing')!;
    const id = failed.correlation_id!;
    const fromRun = await bundle(runOut, id);

    const out = join(dir, 'triage-1');
    const t = await triage(id, '--output', out);
    expect(t.code, `${t.stdout}\n${t.stderr}`).toBe(1);
    expect(t.stdout).toContain('reproduces: yes');
    const fromTriage = await bundle(out, id);
    const essentials = (e: Evidence) => ({
      code: e.classification.code,
      symptom: e.classification.symptom,
      user: e.user.id,
      tenantMemberships: e.db.available && e.db.tenant_memberships,
      projectMemberships: e.db.available && e.db.project_memberships,
      defaultProjects: e.db.available && e.db.default_projects,
      audit: e.audit.available && e.audit.rows.map((r) => `${r.id} ${r.action} ${r.target_id}`),
      logLines: e.logs.lines.available && e.logs.lines.lines.map((l) => `${l.method} ${l.path} ${l.status} ${l.correlation_id}`),
      keycloakUser: e.keycloak.available && e.keycloak.exists && e.keycloak.id,
      reproduces: e.reproduces,
    });
    expect(essentials(fromTriage)).toEqual(essentials(fromRun));
    expect(fromTriage.source).toBe('triage');
    expect(fromTriage.logs.grafana_url).toMatch(/^https:\/\/grafana\.example\.test\/explore\?/);
    expect(fromTriage.keycloak.available && fromTriage.keycloak.update_password_pending).toBe(true);

    // The fix is deployed (the fault goes off): re-running the journey confirms it by new ids.
    await faults([], ['admin_user_missing_project_membership']);
    const re = await triage(id, '--output', join(dir, 'triage-2'), '--retest', 'tenant-admin-bootstrap');
    expect(re.code, `${re.stdout}\n${re.stderr}`).toBe(0);
    const after = await bundle(join(dir, 'triage-2'), id);
    expect(after.retest).toMatchObject({ journey: 'tenant-admin-bootstrap', status: 'passed', failures: [] });
    expect(after.retest!.correlation_ids.length).toBeGreaterThan(0);
    expect(after.retest!.correlation_ids).not.toContain(id);
    expect(await scanForSecrets(dir, { only: /(^|\/)(evidence|snapshot|results)[^/]*\.(json|md)$/, extra: Object.values(env) })).toEqual([]);
  }, 240_000);

  it('--snapshot, a corrective mutation through the API, then --compare shows the restored membership and its audit row', async () => {
    const admin = await token(ready.systemAdmin.username, ready.systemAdmin.password);
    const tenant = await api('POST', '/api/v1/admin/tenants', admin, { name: 'Triage Demo', slug: `triage-${Date.now().toString(36)}` });
    expect(tenant.status).toBe(201);
    const kc = new KcAdminClient({ baseUrl: ready.idp, realmName: ready.realm });
    await kc.auth({ grantType: 'client_credentials', clientId: ready.adminClient.clientId, clientSecret: ready.adminClient.clientSecret });
    const users: Record<string, { id: string; password: string; token?: string }> = {};
    for (const [label, role] of [['owner', 'tenant_admin'], ['member', 'operator']] as const) {
      const id = `triage-${label}-${Date.now().toString(36)}`;
      const password = `Tr1age!${label}-Pass-2026`;
      const created = await api('POST', `/api/v1/admin/tenants/${tenant.body.id}/users`, admin, { user_id: id, display_name: label, role, email: `${id}@example.test`, initial_password: password });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const [u] = await kc.users.find({ username: id, exact: true });
      await kc.users.resetPassword({ id: u!.id!, credential: { type: 'password', value: password, temporary: false } });
      users[label] = { id, password, token: await token(id, password) };
    }
    const project = await api('POST', '/api/v1/projects', users.owner!.token!, { name: 'gpu work' });
    expect(project.status).toBe(201);
    expect((await api('POST', `/api/v1/projects/${project.body.id}/members`, users.owner!.token!, { user_id: users.member!.id, role: 'member' })).status).toBe(201);
    expect((await api('DELETE', `/api/v1/projects/${project.body.id}/members/${users.member!.id}`, users.owner!.token!)).status).toBe(204);
    // The incident: the member is denied in the project; the user brings this correlation id.
    const denied = await api('GET', '/api/v1/instances', users.member!.token!, undefined, { 'X-Project-ID': project.body.id });
    expect(denied.status).toBe(403);
    const id = denied.correlationId;

    const out = join(dir, 'incident');
    const snap = await triage(id, '--output', out, '--snapshot');
    expect(snap.code, `${snap.stdout}\n${snap.stderr}`).toBe(1);
    const before = await bundle(out, id);
    expect(before.classification).toMatchObject({ code: 'membership_missing', known: true });
    expect(before.user).toEqual({ id: users.member!.id, resolved_from: 'the API log line (the caller of the request)' });
    expect(before.db.available && before.db.project_memberships.filter((m) => m.project_id === project.body.id).map((m) => m.active)).toEqual([false]);
    expect(before.reproduces).toBe(true);

    // Mitigation: the owner restores the membership, through the API (audited).
    const restore = await api('POST', `/api/v1/projects/${project.body.id}/members`, users.owner!.token!, { user_id: users.member!.id, role: 'member' });
    expect(restore.status).toBe(201);

    const cmp = await triage(id, '--output', join(dir, 'incident-after'), '--compare', join(out, 'evidence', id));
    expect(cmp.code, `${cmp.stdout}\n${cmp.stderr}`).toBe(0);
    const after = await bundle(join(dir, 'incident-after'), id);
    expect(after.compare!.changes.filter((c) => c.table === 'project_memberships').map((c) => ({ what: c.what, project: (c.after as { project_id?: string }).project_id }))).toEqual([{ what: 'added (active)', project: project.body.id }]);
    expect(after.compare!.privileged_mutations.map((m) => ({ action: m.action, actor: m.actor_id, target: m.target_id, cid: m.correlation_id }))).toEqual([{ action: 'project.member.add', actor: users.owner!.id, target: users.member!.id, cid: restore.correlationId }]);
    expect(after.reproduces).toBe(false);
    const md = await readFile(join(dir, 'incident-after', 'evidence', id, 'evidence.md'), 'utf8');
    expect(md).toContain('### Membership state before/after mitigation');
    expect(md).toContain('project.member.add');
    expect(await scanForSecrets(join(dir, 'incident-after'), { extra: [...Object.values(env), users.owner!.password, users.member!.password] })).toEqual([]);
  }, 180_000);
});

describe('onramp triage: bad input', () => {
  it.each([
    [['triage'], /missing the correlation id/],
    [['triage', 'a', 'b', '--target', 'x'], /expected one correlation id, got 2/],
    [['triage', 'abc', '--target', 'sandbox'], /--target: triage needs a configured target: the embedded sandbox lives only as long as one `onramp run`/],
    [['triage', 'abc', '--target', 'nope', '--config', '/nonexistent.yaml'], /nonexistent\.yaml/],
    [['triage', 'abc', '--since', 'soon'], /--since: expected a duration/],
    [['triage', 'abc', '--since', '91d'], /--since: expected a duration from 1s to 90d, got "91d"/],
    [['triage', 'abc', '--since', '9999999999999999999d'], /--since: expected a duration from 1s to 90d, got "9999999999999999999d"/],
    [['triage', 'abc', '--since', '0s'], /--since: expected a duration from 1s to 90d, got "0s"/],
    [['triage', 'abc', '--output', ''], /--output: expected a folder, got an empty string/],
    [['triage', 'abc', '--output', '/proc/x'], /--output: cannot create "\/proc\/x"/],
    [['triage', 'abc', '--output', '/dev/null/x'], /--output: cannot create "\/dev\/null\/x": a path above it is a file, not a folder \(ENOTDIR\)/],
    [['triage', 'abc', '--compare', '/no/such/bundle'], /--compare: no bundle at \/no\/such\/bundle/],
    [['triage', 'abc', '--snapshot', '--compare', 'x'], /--snapshot and --compare/],
    [['triage', 'bad id!'], /correlation id "bad id!"/],
    [['triage', '..'], /correlation id "\.\.": expected a letter or digit/],
    [['triage', '../etc'], /correlation id "\.\.\/etc"/],
    [['triage', 'x'.repeat(201)], /correlation id "x{60}": expected/],
  ])('%j', async (args, message) => {
    const { code, stderr, timedOut } = await runCli(args, {}, { timeoutMs: 20_000 });
    expect(timedOut, stderr).toBe(false);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
