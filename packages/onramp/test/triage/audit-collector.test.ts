// Triage's audit evidence through the platform's audit API: only rows under the correlation id are
// kept, also from an API that ignores the `correlation_id` filter and answers every recent row.
// A local server answers as the IdP (the system admin's token) and as the platform's audit API.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectAudit } from '../../src/triage/collectors/audit.ts';
import { TriageSources } from '../../src/triage/sources.ts';
import { targetAt } from '../support/targets.ts';

const CID = '7d8e3c6a-0f55-4b8e-9d0a-5b2f0c1e9a77';
const row = (id: number, correlationId: string | null) => ({ id, action: 'user.create', actor_id: 'sysadmin', target_id: `u-${id}`, tenant_id: null, correlation_id: correlationId, payload: {}, created_at: '2026-01-01T00:00:00Z' });

let server: Server;
let url = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    const body = req.method === 'POST' ? { access_token: 'token' } : { entries: [row(1, 'another-request'), row(2, CID), row(3, null)] };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe('audit evidence through the API', () => {
  it('keeps only the rows under the correlation id, whatever the API answers', async () => {
    const sources = new TriageSources(targetAt(url), { service: 'gpuaas-api' });
    try {
      const audit = await collectAudit(sources, CID);
      expect(audit).toMatchObject({ available: true, via: 'api' });
      expect((audit as { rows: { id: string; correlation_id: string | null }[] }).rows.map((r) => [r.id, r.correlation_id])).toEqual([['2', CID]]);
    } finally {
      await sources.close();
    }
  });
});
