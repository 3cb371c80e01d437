// The IdP's runtime fault switches, which the sandbox platform flips to reproduce Keycloak outages.
import { DEFAULT_REALM_FILE } from '../../src/idp/realm/default-file.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdp, type RunningIdp } from '../../src/idp/start.ts';
import { createRequestListener, type Routes } from '../../src/idp/server.ts';
import { ClientAbortError, readBody } from '../../src/http/read-body.ts';

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

  it('slow: a client that gives up during the delay is let go when it leaves: its handler never runs, its body is not awaited, nothing is logged', async () => {
    const ctx = { ...idp.ctx, faults: { ...idp.ctx.faults, slowMs: 300 } };
    const reached: string[] = [];
    const routes: Routes = { admin: async () => void reached.push('admin'), resources: async () => void reached.push('resources'), realm: () => async () => void reached.push('realm') };
    const server = createServer(createRequestListener(ctx, routes));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const warnings: string[] = [];
    const onWarning = (w: Error) => void warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const ac = new AbortController();
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/sandbox/protocol/openid-connect/token`;
      const sent = fetch(url, { method: 'POST', body: new URLSearchParams(admin), signal: ac.signal }).catch((err: Error) => err.name);
      await sleep(100);
      ac.abort();
      expect(await sent).toBe('AbortError');
      await sleep(500);
    } finally {
      process.off('warning', onWarning);
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
    // Before: the handler ran after the delay and waited 5 s for a body that never came, then warned of a sandbox error.
    expect(reached).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('a request body read after its client left fails at once as the client\'s doing (ClientAbortError), not after the body timeout', async () => {
    const seen = new Promise<{ err: unknown; ms: number }>((resolve) => {
      const server = createServer((req) => {
        req.socket.once('close', () => {
          const t0 = performance.now();
          readBody(req, 1024, 2_000).then(
            () => resolve({ err: undefined, ms: performance.now() - t0 }),
            (err: unknown) => resolve({ err, ms: performance.now() - t0 }),
          );
          server.close();
        });
      });
      server.listen(0, '127.0.0.1', () => {
        const ac = new AbortController();
        void fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { method: 'POST', body: 'x'.repeat(10), signal: ac.signal }).catch(() => undefined);
        setTimeout(() => ac.abort(), 100);
      });
    });
    const { err, ms } = await seen;
    expect(err).toBeInstanceOf(ClientAbortError);
    expect(ms).toBeLessThan(1_000);
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
