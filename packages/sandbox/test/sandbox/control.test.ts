// The sandbox's fault switches over HTTP: listing, switching, unknown names, the token guard, and
// the IdP faults reaching the IdP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestPostgres } from '../../../../test/support/postgres.ts';
import { startSandbox, type RunningSandbox } from '../../src/start.ts';
import { FAULTS } from '../../src/faults/catalog.ts';
import pino from 'pino';

const db = useTestPostgres();
let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ databaseUrl: await db.createDatabase(), log: pino({ level: 'silent' }) });
});
afterAll(() => sandbox?.close());

const control = (method: string, body?: unknown, token = sandbox.controlToken) =>
  fetch(`${sandbox.platformUrl}/__sandbox/faults`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

describe('sandbox fault control', () => {
  it('starts clean and lists every fault with its symptom and description', async () => {
    const res = await control('GET');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { faults: { name: string; description: string; active: boolean }[]; active: string[] };
    expect(body.active).toEqual([]);
    expect(body.faults.map((f) => f.name).sort()).toEqual(FAULTS.map((f) => f.name).sort());
    expect(body.faults).toHaveLength(23);
    for (const f of body.faults) expect(f.description.length).toBeGreaterThan(20);
  });

  it('refuses calls without the control token', async () => {
    expect((await control('GET', undefined, 'wrong')).status).toBe(401);
    expect((await control('POST', { on: ['session_partial'] }, 'wrong')).status).toBe(401);
    expect(sandbox.faults.list()).toEqual([]);
  });

  it('switches faults on and off and answers the active list', async () => {
    expect(await (await control('POST', { on: ['session_partial', 'readonly_label'] })).json()).toEqual({ active: ['readonly_label', 'session_partial'] });
    expect(await (await control('POST', { off: ['readonly_label'] })).json()).toEqual({ active: ['session_partial'] });
    expect(await (await control('POST', { off: ['session_partial'] })).json()).toEqual({ active: [] });
  });

  it('rejects unknown names with a 400 that lists the known ones, changing nothing', async () => {
    const res = await control('POST', { on: ['session_partial', 'no_such_fault'] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; message: string; details: { unknown: string[]; known: string[] } };
    expect(body.code).toBe('unknown_fault');
    expect(body.details.unknown).toEqual(['no_such_fault']);
    expect(body.details.known).toContain('project_header_dropped');
    expect(body.message).toContain('no_such_fault');
    expect(sandbox.faults.list()).toEqual([]);
  });

  it('idp_down and idp_slow reach the identity provider', async () => {
    await control('POST', { on: ['idp_down'] });
    expect((await fetch(`${sandbox.idp.url}/realms/sandbox/.well-known/openid-configuration`)).status).toBe(503);
    await control('POST', { off: ['idp_down'], on: ['idp_slow'] });
    const t0 = performance.now();
    expect((await fetch(`${sandbox.idp.url}/realms/sandbox/.well-known/openid-configuration`)).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThan(2_000);
    await control('POST', { off: ['idp_slow'] });
    expect(sandbox.idp.ctx.faults).toMatchObject({ slowMs: 0, down: false });
  });
});
