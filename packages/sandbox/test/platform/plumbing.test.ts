// The API's envelopes and request log, before any resource: unknown route, bad token, health.
import { connect, type Socket } from 'node:net';
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

  describe('a request body that does not arrive', () => {
    const partial = async (requestId: string) => {
      const { hostname, port } = new URL(env.url);
      const socket: Socket = connect(Number(port), hostname);
      await new Promise((r) => socket.once('connect', r));
      // Promises 100 bytes of JSON, sends 12.
      socket.write(`POST /api/v1/auth/personal/signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\nX-Request-ID: ${requestId}\r\n\r\n{"email": "a`);
      return socket;
    };
    const logged = async (requestId: string) => {
      for (let i = 0; i < 100; i++) {
        const line = env.logs.find((l) => l.request_id === requestId);
        if (line) return line;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no log line for ${requestId}`);
    };

    it('logs a client that disconnects mid-body as a client abort (499), not a 500 with a stack', async () => {
      const socket = await partial('abort-1');
      await new Promise((r) => setTimeout(r, 100));
      socket.destroy();
      const line = await logged('abort-1');
      expect(line).toMatchObject({ status: 499, code: 'client_closed_request', path: '/api/v1/auth/personal/signup', msg: 'client aborted the request' });
      expect(JSON.stringify(line)).not.toMatch(/stack|internal_error/);
    });

    it('answers an unfinished body with 408 request_timeout within seconds and closes the connection', async () => {
      const socket = await partial('slow-1');
      const t0 = performance.now();
      let reply = '';
      socket.on('data', (d) => (reply += d));
      await new Promise((r) => socket.once('close', r));
      const seconds = (performance.now() - t0) / 1000;
      expect(seconds).toBeGreaterThan(4);
      expect(seconds).toBeLessThan(8);
      expect(reply).toMatch(/^HTTP\/1\.1 408 /);
      expect(reply).toContain('"code":"request_timeout"');
      expect(await logged('slow-1')).toMatchObject({ status: 408, code: 'request_timeout' });
    }, 15_000);
  });
});
