// A create that committed but whose answer never reached onramp (the connection reset, a gateway's
// 502, a garbled body) leaves nothing behind: the step fails with its transport code, and cleanup
// finds the journey's synthetic identities by name and removes them in the same run. A proxy in
// front of the real platform forwards each create and breaks its answer once the platform answered.
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { request } from 'undici';
import { useTestPlatform } from '../../../sandbox/test/support/platform.ts';
import { targetFor } from '../support/targets.ts';
import { runJourneys } from '../../src/engine/runner.ts';
import { newRunId } from '../../src/engine/identities.ts';
import { createHttpExecutor } from '../../src/engine/executors/http.ts';
import { createIdpExecutor } from '../../src/engine/executors/idp.ts';
import { loadContracts } from '../../src/contracts/index.ts';
import type { StepExecutor } from '../../src/engine/executors/executor.ts';
import { secret } from '../../src/engine/secret.ts';
import { sweepByName } from '../../src/engine/sweep.ts';
import personalSignup from '../../journeys/personal-signup.journey.ts';
import idpConfigHealth from '../../journeys/idp-config-health.journey.ts';

const env = useTestPlatform();

type Mode = 'reset' | '502' | 'garbled';
/** The creates whose answers the proxy breaks: a self-signup (ids made by the platform) and a tenant. */
const CREATES = new Set(['POST /api/v1/auth/personal/signup', 'POST /api/v1/admin/tenants']);

/** Forwards everything to the platform; the answer to a create is broken after the platform gave it. */
function brokenAnswers(upstream: () => string, mode: () => Mode) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
    const up = await request(`${upstream()}${req.url}`, { method: req.method as 'POST', headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    const body = await up.body.text();
    const path = new URL(req.url ?? '/', 'http://proxy.invalid').pathname;
    if (!CREATES.has(`${req.method} ${path}`)) {
      res.writeHead(up.statusCode, { 'content-type': String(up.headers['content-type'] ?? 'application/json'), ...(up.headers['x-correlation-id'] ? { 'x-correlation-id': String(up.headers['x-correlation-id']) } : {}) });
      return void res.end(body);
    }
    // The platform has committed the create by now.
    if (mode() === 'reset') return void req.socket.destroy();
    if (mode() === '502') {
      res.writeHead(502, { 'content-type': 'text/html' });
      return void res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    }
    res.writeHead(up.statusCode, { 'content-type': 'application/json', 'x-correlation-id': String(up.headers['x-correlation-id']) });
    res.end(body.slice(0, Math.floor(body.length / 2)));
  };
}

describe('a create whose answer was lost', () => {
  let proxy: Server;
  let proxyUrl: string;
  let mode: Mode = 'reset';
  let executors: StepExecutor[];
  beforeAll(async () => {
    proxy = createServer((req, res) => void brokenAnswers(() => env.url, () => mode)(req, res).catch(() => req.socket.destroy()));
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    executors = [createHttpExecutor({ contracts: await loadContracts() }) as StepExecutor, createIdpExecutor() as StepExecutor];
  });
  afterAll(async () => {
    for (const e of executors ?? []) await e.close?.();
    proxy?.closeAllConnections();
    await new Promise((r) => proxy?.close(r));
  });

  /** What the run left, counted in the platform's database and by Keycloak's admin search. */
  async function remaining(runId: string) {
    const marker = `onramp-syn-${runId}-%`;
    const users = await env.pool.query<{ id: string }>('SELECT id FROM platform.users WHERE id LIKE $1 OR email LIKE $1', [marker]);
    const tenants = await env.pool.query<{ slug: string }>('SELECT slug FROM platform.tenants WHERE slug LIKE $1 AND deleted_at IS NULL', [marker]);
    const kc = new KcAdminClient({ baseUrl: env.idp.url, realmName: 'sandbox' });
    await kc.auth({ grantType: 'client_credentials', clientId: 'platform-admin', clientSecret: 'sandbox-admin-secret' });
    const keycloak = await kc.users.find({ search: `onramp-syn-${runId}`, max: 100 });
    return { platformUsers: users.rows.map((r) => r.id), tenants: tenants.rows.map((r) => r.slug), keycloakUsers: keycloak.map((u) => u.username) };
  }

  it.each([
    ['reset', 'connection_reset'],
    ['502', 'error_body_not_json'],
    ['garbled', 'invalid_json_body'],
  ] as const)('%s: the step fails with %s, and the run leaves 0 identities in the platform and in Keycloak', async (m, code) => {
    mode = m;
    const runId = newRunId();
    const run = await runJourneys({ journeys: [personalSignup, idpConfigHealth], target: targetFor(env, { apiUrl: proxyUrl }), executors, runId, concurrency: 2 });
    const [signup, health] = run.journeys;
    const failed = (j: typeof signup) => j!.attempts[0]!.steps.find((s) => s.status === 'failed' || s.status === 'error');
    expect([failed(signup)?.name, failed(signup)?.code]).toEqual(['sign up', code]);
    expect([failed(health)?.name, failed(health)?.code]).toEqual(['create a tenant', code]);
    // The creates did commit: cleanup found them by name.
    expect(signup!.attempts[0]!.reclaimed).toEqual(expect.arrayContaining([`Keycloak user onramp-syn-${runId}-personal-signup-user@synthetic.onramp.test`, expect.stringMatching(/^platform user [0-9a-f-]{36}$/)]));
    expect(health!.attempts[0]!.reclaimed).toEqual([`tenant onramp-syn-${runId}-idp-config-health-t`]);
    expect(run.leftovers).toBeUndefined();
    expect(await remaining(runId)).toEqual({ platformUsers: [], tenants: [], keycloakUsers: [] });
  });

  it('--keep leaves a failed attempt\'s identities in place, found or not', async () => {
    mode = '502';
    const runId = newRunId();
    const run = await runJourneys({ journeys: [personalSignup], target: targetFor(env, { apiUrl: proxyUrl }), executors, runId, keepFailed: true });
    expect(run.journeys[0]!.attempts[0]!.reclaimed).toBeUndefined();
    expect((await remaining(runId)).keycloakUsers).toEqual([`onramp-syn-${runId}-personal-signup-user@synthetic.onramp.test`]);
    await sweepByName(targetFor(env), { prefix: `onramp-syn-${runId}-` });
    expect(await remaining(runId)).toEqual({ platformUsers: [], tenants: [], keycloakUsers: [] });
  });

  it("a search that cannot be made is a leftover of the run, naming the names it was after and why", async () => {
    mode = 'reset';
    const runId = newRunId();
    const wrongAdmin = { clientId: 'platform-admin', clientSecret: secret('not-the-secret') };
    const run = await runJourneys({ journeys: [idpConfigHealth], target: targetFor(env, { apiUrl: proxyUrl, adminClient: wrongAdmin }), executors, runId });
    expect(run.leftovers).toEqual([
      { journey: 'idp-config-health', attempt: 1, identities: [`onramp-syn-${runId}-idp-config-health-*`], reason: expect.stringMatching(/^removal by name: searching onramp-syn-\S+-idp-config-health-\*: Keycloak admin login \(client platform-admin\) at \S+ failed: HTTP 401$/) },
    ]);
    expect((await remaining(runId)).tenants).toEqual([`onramp-syn-${runId}-idp-config-health-t`]);
    await sweepByName(targetFor(env), { prefix: `onramp-syn-${runId}-` });
  });
});
