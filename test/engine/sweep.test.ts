// The sweeper removes synthetic leftovers older than the TTL from both stores, and nothing else.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestPlatform } from '../support/platform.ts';
import { targetFor } from '../support/targets.ts';
import { parseDuration, sweep } from '../../src/engine/sweep.ts';
import { syntheticName } from '../../src/engine/identities.ts';

const env = useTestPlatform();

async function leftovers(label: string) {
  const name = syntheticName('sweeptest', label);
  const signup = await env.api('POST', '/api/v1/auth/personal/signup', { body: { email: `${name}@synthetic.onramp.test`, password: 'SyLeftover-Passw0rd!', display_name: name } });
  expect(signup.status).toBe(201);
  const admin = await env.sysadminToken();
  const tenant = await env.api('POST', '/api/v1/admin/tenants', { token: admin, body: { name: `Sweep ${label}`, slug: `${name}-t` } });
  expect(tenant.status).toBe(201);
  return { userId: signup.body.user.id as string, email: `${name}@synthetic.onramp.test`, tenantId: tenant.body.id as string };
}

describe('sweep', () => {
  let real: { email: string };
  beforeAll(async () => {
    real = { email: `real-user-${Date.now()}@example.test` };
    expect((await env.api('POST', '/api/v1/auth/personal/signup', { body: { email: real.email, password: 'Real-User-Passw0rd!', display_name: 'Real' } })).status).toBe(201);
  });

  it('leaves synthetic identities younger than the TTL, and reports what it would remove in a dry run', async () => {
    await leftovers('young');
    const young = await sweep(targetFor(env), { olderThanMs: 3_600_000 });
    expect(young).toMatchObject({ keycloakUsers: [], platformUsers: [], tenants: [], errors: [] });
    const dry = await sweep(targetFor(env), { olderThanMs: 0, dryRun: true, now: Date.now() + 1000 });
    expect(dry.keycloakUsers.length).toBeGreaterThan(0);
    expect(await env.idp.ctx.store.findUserByUsername('sandbox', dry.keycloakUsers[0]!)).toBeDefined();
  });

  it('removes old synthetic users from Keycloak and the platform, and their tenants; real users stay', async () => {
    const left = await leftovers('old');
    const report = await sweep(targetFor(env), { olderThanMs: 0, now: Date.now() + 1000 });
    expect(report.errors).toEqual([]);
    expect(report.platformUsers).toContain(left.userId);
    expect(report.tenants.some((t) => t.startsWith('onramp-syn-sweeptest-old'))).toBe(true);
    expect(await env.idp.ctx.store.findUserByEmail('sandbox', left.email)).toBeUndefined();
    expect((await env.pool.query('SELECT count(*)::int AS n FROM platform.users WHERE id = $1', [left.userId])).rows[0].n).toBe(0);
    expect(await env.idp.ctx.store.findUserByEmail('sandbox', real.email)).toBeDefined();
    expect(await env.idp.ctx.store.findUserByUsername('sandbox', 'sysadmin')).toBeDefined();
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
