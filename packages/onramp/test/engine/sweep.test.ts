// The sweeper removes synthetic leftovers older than the TTL from both stores, and nothing else; a
// dry run lists exactly what the real sweep then removes.
import { createServer, type AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { useTestPlatform } from '../../../sandbox/test/support/platform.ts';
import { targetFor } from '../support/targets.ts';
import { parseDuration, sweep, SweepTargetError } from '../../src/engine/sweep.ts';
import { syntheticName } from '../../src/engine/identities.ts';

const env = useTestPlatform();

async function leftovers(label: string) {
  const name = syntheticName('sweeptest', label);
  const signup = await env.api('POST', '/api/v1/auth/personal/signup', { body: { email: `${name}@synthetic.onramp.test`, password: 'SyLeftover-Passw0rd!', display_name: name } });
  expect(signup.status).toBe(201);
  const admin = await env.sysadminToken();
  const tenant = await env.api('POST', '/api/v1/admin/tenants', { token: admin, body: { name: `Sweep ${label}`, slug: `${name}-t` } });
  expect(tenant.status).toBe(201);
  // A Keycloak-only leftover (an idp step's user): it has no platform side to remove.
  const kc = new KcAdminClient({ baseUrl: env.idp.url, realmName: 'sandbox' });
  await kc.auth({ grantType: 'client_credentials', clientId: 'platform-admin', clientSecret: 'sandbox-admin-secret' });
  await kc.users.create({ username: `${name}-kc-only`, enabled: true });
  return { userId: signup.body.user.id as string, email: `${name}@synthetic.onramp.test`, tenantId: tenant.body.id as string, kcOnly: `${name}-kc-only` };
}

/** A port nobody listens on (fetch refuses well-known ones such as 1 outright). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

const later = () => Date.now() + 1000;

describe('sweep', () => {
  let real: { email: string };
  beforeAll(async () => {
    real = { email: `real-user-${Date.now()}@example.test` };
    expect((await env.api('POST', '/api/v1/auth/personal/signup', { body: { email: real.email, password: 'Real-User-Passw0rd!', display_name: 'Real' } })).status).toBe(201);
  });

  it('leaves synthetic identities younger than the TTL', async () => {
    await leftovers('young');
    const young = await sweep(targetFor(env), { olderThanMs: 3_600_000 });
    expect(young).toMatchObject({ keycloakUsers: [], platformUsers: [], tenants: [], errors: [] });
  });

  it('removes exactly what its dry run listed: old synthetic users from Keycloak and the platform, their tenants; real users stay', async () => {
    const left = await leftovers('old');
    const dry = await sweep(targetFor(env), { olderThanMs: 0, dryRun: true, now: later() });
    expect(dry.platformUsers).toContain(left.userId);
    expect(dry.keycloakUsers).toContain(left.kcOnly);
    expect(dry.tenants.some((t) => t.startsWith('onramp-syn-sweeptest-old'))).toBe(true);
    // The dry run removed nothing.
    expect(await env.idp.ctx.store.findUserByEmail('sandbox', left.email)).toBeDefined();

    const report = await sweep(targetFor(env), { olderThanMs: 0, now: later() });
    expect(report.errors).toEqual([]);
    expect({ ...report, dryRun: true }).toEqual(dry);

    expect(await env.idp.ctx.store.findUserByEmail('sandbox', left.email)).toBeUndefined();
    expect(await env.idp.ctx.store.findUserByUsername('sandbox', left.kcOnly)).toBeUndefined();
    expect((await env.pool.query('SELECT count(*)::int AS n FROM platform.users WHERE id = $1', [left.userId])).rows[0].n).toBe(0);
    const tenants = await env.api('GET', '/api/v1/admin/tenants', { token: await env.sysadminToken() });
    expect(tenants.body.tenants.filter((t: { slug: string }) => dry.tenants.includes(t.slug))).toEqual([]);
    expect(await env.idp.ctx.store.findUserByEmail('sandbox', real.email)).toBeDefined();
    expect(await env.idp.ctx.store.findUserByUsername('sandbox', 'sysadmin')).toBeDefined();
    // Nothing left for a second pass.
    expect(await sweep(targetFor(env), { olderThanMs: 0, dryRun: true, now: later() })).toMatchObject({ keycloakUsers: [], platformUsers: [], tenants: [] });
  });

  it.each([
    ['the IdP', 'idpUrl', '/realms/sandbox/protocol/openid-connect/token'],
    ['the platform API', 'apiUrl', '/api/v1/admin/tenants'],
  ] as const)('names the URL when %s cannot be reached', async (_name, field, path) => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const url = `${dead}${path}`;
    const err = await sweep({ ...targetFor(env), [field]: dead }, { olderThanMs: 0, dryRun: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SweepTargetError);
    expect((err as Error).message).toContain(`cannot reach ${url} (ECONNREFUSED)`);
  });

  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['6h', 21_600_000],
    ['7d', 604_800_000],
    ['1500', 1500],
    ['6 hours', undefined],
    ['-1h', undefined],
  ])('parses the TTL %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});
