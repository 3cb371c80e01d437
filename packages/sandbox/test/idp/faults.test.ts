// The IdP's runtime fault switches, which the sandbox platform flips to reproduce Keycloak outages.
import { DEFAULT_REALM_FILE } from '../../src/idp/realm/default-file.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdp, type RunningIdp } from '../../src/idp/start.ts';

let idp: RunningIdp;
beforeAll(async () => {
  idp = await startIdp({ realmFile: DEFAULT_REALM_FILE });
});
afterAll(() => idp?.close());

const token = (form: Record<string, string>) =>
  fetch(`${idp.url}/realms/sandbox/protocol/openid-connect/token`, { method: 'POST', body: new URLSearchParams(form) });
const admin = { grant_type: 'client_credentials', client_id: 'platform-admin', client_secret: 'sandbox-admin-secret' };
const canary = { grant_type: 'password', client_id: 'onramp-canary', client_secret: 'sandbox-canary-secret', username: 'sysadmin', password: 'Sandbox-Admin-2026!' };

describe('IdP faults', () => {
  it('down: every endpoint answers 503 until switched off', async () => {
    idp.ctx.faults.down = true;
    try {
      expect((await fetch(`${idp.url}/realms/sandbox/.well-known/openid-configuration`)).status).toBe(503);
      expect((await token(admin)).status).toBe(503);
    } finally {
      idp.ctx.faults.down = false;
    }
    expect((await token(admin)).status).toBe(200);
  });

  it('slow: adds the configured latency to each request', async () => {
    idp.ctx.faults.slowMs = 300;
    try {
      const t0 = performance.now();
      await fetch(`${idp.url}/realms/sandbox/protocol/openid-connect/certs`);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    } finally {
      idp.ctx.faults.slowMs = 0;
    }
  });

  it('rejectAdminClient: the service-account client is refused as Keycloak refuses a wrong secret; other clients are not', async () => {
    idp.ctx.faults.rejectAdminClient = true;
    try {
      const refused = await token(admin);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toEqual({ error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' });
      expect((await token(canary)).status).toBe(200);
    } finally {
      idp.ctx.faults.rejectAdminClient = false;
    }
    expect((await token(admin)).status).toBe(200);
  });
});
