// The API's envelopes and request log, before any resource: unknown route, bad token, health.
import { describe, expect, it } from 'vitest';
import { useTestPlatform } from '../support/platform.ts';

const env = useTestPlatform();

describe('platform API plumbing', () => {
  it('answers an unknown route with the runbook envelope and the same correlation id in header and body', async () => {
    const res = await env.api('GET', '/api/v1/nope', { headers: { 'x-request-id': 'req-1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', correlation_id: res.headers.get('x-correlation-id') });
    const line = env.logs.find((l) => l.correlation_id === res.body.correlation_id);
    expect(line).toMatchObject({ service: 'gpuaas-api', request_id: 'req-1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', method: 'GET', path: '/api/v1/nope', status: 404 });
    expect(typeof line?.duration_ms).toBe('number');
  });

  it('provisions the configured system admin from its first verified token, not at start (Keycloak may be down then)', async () => {
    const query = () => env.pool.query('SELECT id, is_system_admin, idp_subject FROM platform.users WHERE id = $1', ['sysadmin']);
    expect((await query()).rows).toEqual([]);
    const token = await env.sysadminToken();
    const session = await env.api('GET', '/api/v1/session', { token });
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ user_id: 'sysadmin', role: 'system_admin' });
    const sub = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub;
    expect((await query()).rows).toEqual([{ id: 'sysadmin', is_system_admin: true, idp_subject: sub }]);
  });

  it('drops the correlation id from error bodies only while error_envelope_missing_correlation_id is on', async () => {
    env.faults.set({ on: ['error_envelope_missing_correlation_id'] });
    const broken = await env.api('GET', '/api/v1/nope');
    env.faults.set({ off: ['error_envelope_missing_correlation_id'] });
    expect(broken.body.correlation_id).toBeUndefined();
    expect(broken.headers.get('x-correlation-id')).toBeTruthy();
    expect((await env.api('GET', '/api/v1/nope')).body.correlation_id).toBeTruthy();
  });
});
