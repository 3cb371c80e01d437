// The identity-provider envelopes of OP-071: a platform without its Keycloak settings, without its
// admin credentials, or with Keycloak unreachable answers 422 with the change note's texts, and
// creates nothing anywhere.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestPlatform } from '../support/platform.ts';
import type { KeycloakSettings } from '../../src/platform/context.ts';
import { keycloakAdmin } from '../../src/platform/keycloak.ts';

const env = useTestPlatform();
let admin: string;
beforeAll(async () => {
  admin = await env.sysadminToken();
});

const newTenant = () => env.newTenant(admin, { prefix: 'kc', label: 'Kc' });
const userBody = () => env.tenantUserBody({ display_name: 'Kay Cloak' });
const idpUserCount = async () => (await env.idp.ctx.store.listUsers('sandbox')).length;

const NOT_CONFIGURED = { error: 'identity_provider_failure', code: 'keycloak_not_configured', detail: 'Tenant admin bootstrap requires Keycloak.', remediation: 'Verify Helm values and the Keycloak admin secret.' };
const NO_CREDENTIALS = { error: 'identity_provider_failure', code: 'keycloak_admin_credentials_missing', detail: 'Keycloak admin URL or Secret values are missing.', remediation: 'Recreate the Kubernetes Secret and redeploy API/worker.' };

/**
 * A broken deployment, applied to the running API: the bearer-token issuer stays usable (it is
 * separate configuration), only the admin side is missing, as in the change note's pods.
 */
type Breakage = { settings?: Partial<KeycloakSettings>; fault?: string; idpDown?: boolean };
async function broken<T>(b: Breakage, work: () => Promise<T>): Promise<T> {
  const saved = { ...env.ctx.keycloak };
  Object.assign(env.ctx.keycloak, b.settings);
  if (b.fault) env.faults.set({ on: [b.fault] });
  if (b.idpDown) env.idp.ctx.faults.down = true;
  try {
    return await work();
  } finally {
    Object.assign(env.ctx.keycloak, saved);
    if (b.fault) env.faults.set({ off: [b.fault] });
    env.idp.ctx.faults.down = false;
  }
}

const cases: [string, Breakage, Record<string, unknown>][] = [
  ['no Keycloak URL', { settings: { url: undefined } }, NOT_CONFIGURED],
  ['no realm', { settings: { realm: undefined } }, NOT_CONFIGURED],
  ['fault keycloak_not_configured', { fault: 'keycloak_not_configured' }, NOT_CONFIGURED],
  ['no admin client secret', { settings: { adminClientSecret: undefined } }, NO_CREDENTIALS],
  ['no admin client id', { settings: { adminClientId: undefined } }, NO_CREDENTIALS],
  ['an admin secret Keycloak refuses', { settings: { adminClientSecret: 'not-the-secret' } }, NO_CREDENTIALS],
  ['fault keycloak_admin_credentials_missing', { fault: 'keycloak_admin_credentials_missing' }, NO_CREDENTIALS],
  ['Keycloak down', { idpDown: true }, { error: 'identity_provider_failure', code: 'keycloak_unavailable' }],
];

describe('POST /api/v1/admin/tenants/{tenant_id}/users without a usable Keycloak', () => {
  it.each(cases)('%s: 422 with the envelope, nothing created; fixed, the same request succeeds', async (_what, breakage, envelope) => {
    const t = await newTenant();
    const body = userBody();
    const before = await idpUserCount();
    const res = await broken(breakage, () => env.api('POST', `/api/v1/admin/tenants/${t.id}/users`, { token: admin, body }));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ ...envelope, correlation_id: res.headers.get('x-correlation-id') });
    expect(await idpUserCount()).toBe(before);
    expect((await env.pool.query('SELECT 1 FROM platform.users WHERE id = $1', [body.user_id])).rowCount).toBe(0);

    expect((await env.api('POST', `/api/v1/admin/tenants/${t.id}/users`, { token: admin, body })).status).toBe(201);
  });

  it('checks the password policy before the configuration: a weak password is 400 even without Keycloak', async () => {
    const t = await newTenant();
    const res = await broken({ settings: { url: undefined } }, () => env.api('POST', `/api/v1/admin/tenants/${t.id}/users`, { token: admin, body: { ...userBody(), initial_password: 'weak' } }));
    expect(res.status).toBe(400);
  });
});

describe('POST .../users/{user_id}/verify without a usable Keycloak', () => {
  it.each(cases)('%s: 422, never a false "in sync"', async (_what, breakage, envelope) => {
    const t = await newTenant();
    const body = userBody();
    expect((await env.api('POST', `/api/v1/admin/tenants/${t.id}/users`, { token: admin, body })).status).toBe(201);
    const res = await broken(breakage, () => env.api('POST', `/api/v1/admin/tenants/${t.id}/users/${body.user_id}/verify`, { token: admin }));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject(envelope);
  });
});

describe("the platform's admin token", () => {
  it('is fetched once for requests that need it at the same time (a slow Keycloak is asked once, not per request)', async () => {
    // A platform context of its own: nothing cached yet.
    const ctx = { ...env.ctx };
    env.idp.ctx.faults.slowMs = 300;
    try {
      const [a, b, c] = await Promise.all([keycloakAdmin(ctx), keycloakAdmin(ctx), keycloakAdmin(ctx)]);
      expect(b).toBe(a);
      expect(c).toBe(a);
      expect(await keycloakAdmin(ctx)).toBe(a);
    } finally {
      env.idp.ctx.faults.slowMs = 0;
    }
  });
});
