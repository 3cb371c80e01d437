// onramp's own IdP calls against a small fake Keycloak: a failed IdP step carries the X-Request-ID
// onramp sent, marked as onramp's (never passed off as the target's correlation id), and every
// reporter shows it beside the correlation id; a Keycloak 5xx is keycloak_down; a Keycloak that keeps
// every answer waiting (its discovery document too) is keycloak_slow within about its budget, not
// waited out; a single slow answer from a quick IdP is not; cleanup steps wait a slow IdP out.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJourneys } from '../../src/engine/runner.ts';
import { cleanup, defineJourney, idp, login } from '../../src/engine/journey.ts';
import { createHttpExecutor } from '../../src/engine/executors/http.ts';
import { createIdpExecutor } from '../../src/engine/executors/idp.ts';
import { IDP_ANSWER_BUDGET_MS, IDP_PROBE_BUDGET_MS } from '../../src/engine/idp-latency.ts';
import { toReport } from '../../src/reporters/json.ts';
import { toJUnitXml } from '../../src/reporters/junit.ts';
import { ConsoleReporter } from '../../src/reporters/console.ts';
import type { StepResult } from '../../src/engine/results.ts';
import { targetAt } from '../support/targets.ts';

/** How the fake Keycloak behaves: per-path delay (ms) and status. */
const mode = { tokenDelayMs: 0, discoveryDelayMs: 0, adminStatus: 200 };
const seen: { path: string; requestId?: string }[] = [];

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
// The admin client decodes tokens as JWTs with `exp`.
const jwt = () => `${b64({ alg: 'none' })}.${b64({ exp: Math.floor(Date.now() / 1000) + 300, sub: 'a' })}.sig`;

let url: string;
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  seen.push({ path, requestId: req.headers['x-request-id'] as string | undefined });
  const send = (status: number, body: unknown, delay = 0) => setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)), delay);
  req.resume();
  if (path.endsWith('/.well-known/openid-configuration')) return send(200, { issuer: `${url}/realms/r` }, mode.discoveryDelayMs);
  if (path.endsWith('/protocol/openid-connect/token')) return send(200, { access_token: jwt(), refresh_token: jwt(), expires_in: 300 }, mode.tokenDelayMs);
  if (path.startsWith('/admin/realms/r/users')) return send(mode.adminStatus, mode.adminStatus >= 500 ? { error: 'unavailable' } : [], mode.tokenDelayMs);
  send(404, { error: 'not found' });
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const reset = (over: Partial<typeof mode> = {}) => {
  Object.assign(mode, { tokenDelayMs: 0, discoveryDelayMs: 0, adminStatus: 200 }, over);
  seen.length = 0;
};
const target = () => targetAt(url, { name: 'fake-keycloak', apiUrl: 'http://127.0.0.1:9', idpUrl: url, realm: 'r' });
const userLogin = (name = 'user logs in') => login(name, { user: () => ({ username: 'u', password: 'p' }), saveAs: 'token' });
const listUsers = idp('Keycloak lists the users', { run: async (kc) => void (await kc.users.find({ max: 1 })) });

async function runOne(steps: Parameters<typeof defineJourney>[0]['steps']) {
  const executors = [createHttpExecutor(), createIdpExecutor()];
  const t0 = performance.now();
  const run = await runJourneys({ journeys: [defineJourney({ id: 'j', title: 'j', steps })], target: target(), executors });
  for (const e of executors) await e.close?.();
  return { steps: run.journeys[0]!.attempts[0]!.steps, ms: performance.now() - t0, run };
}

describe('IdP steps: the request id onramp sent, keycloak_down, keycloak_slow', () => {
  it('an idp step carries the X-Request-ID its admin calls sent, marked as onramp\'s; a Keycloak 5xx is keycloak_down', async () => {
    reset({ adminStatus: 503 });
    const { steps } = await runOne([listUsers]);
    const s = steps[0]!;
    expect({ status: s.status, code: s.code, correlationId: s.correlationId }).toEqual({ status: 'failed', code: 'keycloak_down', correlationId: undefined });
    expect(s.requestId?.sentBy).toBe('onramp');
    const adminCalls = seen.filter((x) => x.path.startsWith('/admin/'));
    expect(adminCalls.length).toBeGreaterThan(0);
    expect(adminCalls.map((x) => x.requestId)).toEqual(adminCalls.map(() => s.requestId!.id));
    // The admin client's own login carried it too.
    expect(seen.find((x) => x.path.endsWith('/token'))?.requestId).toBe(s.requestId!.id);
  });

  it('a login step to the IdP carries the X-Request-ID it sent', async () => {
    reset();
    const { steps } = await runOne([userLogin()]);
    expect(steps[0]!.status).toBe('passed');
    expect(steps[0]!.requestId).toEqual({ id: seen.find((x) => x.path.endsWith('/token'))!.requestId, sentBy: 'onramp' });
  });

  it('a Keycloak late on every answer (discovery too) is keycloak_slow within the budget and the probe, not waited out', async () => {
    reset({ tokenDelayMs: 4_000, discoveryDelayMs: 4_000 });
    const { steps, ms } = await runOne([userLogin(), listUsers]);
    const s = steps[0]!;
    expect({ status: s.status, code: s.code }).toEqual({ status: 'failed', code: 'keycloak_slow' });
    expect(s.requestId?.sentBy).toBe('onramp');
    expect(s.message).toContain(s.requestId!.id);
    expect(ms).toBeLessThan(IDP_ANSWER_BUDGET_MS + IDP_PROBE_BUDGET_MS + 1_000);
  });

  it('an idp step on a slow Keycloak is keycloak_slow too', async () => {
    reset({ tokenDelayMs: 4_000, discoveryDelayMs: 4_000 });
    const { steps, ms } = await runOne([listUsers]);
    expect({ status: steps[0]!.status, code: steps[0]!.code }).toEqual({ status: 'failed', code: 'keycloak_slow' });
    expect(ms).toBeLessThan(IDP_ANSWER_BUDGET_MS + IDP_PROBE_BUDGET_MS + 1_000);
  });

  it('one slow answer from an IdP whose discovery answers at once is waited for: no keycloak_slow', async () => {
    reset({ tokenDelayMs: IDP_ANSWER_BUDGET_MS + 700 });
    const { steps } = await runOne([userLogin()]);
    expect({ status: steps[0]!.status, code: steps[0]!.code }).toEqual({ status: 'passed', code: undefined });
  });

  it('a cleanup step waits a slow IdP out', async () => {
    reset({ tokenDelayMs: IDP_ANSWER_BUDGET_MS + 1_500, discoveryDelayMs: 4_000 });
    const { steps } = await runOne([cleanup(userLogin('cleanup login'))]);
    expect({ status: steps[0]!.status, code: steps[0]!.code }).toEqual({ status: 'passed', code: undefined });
  }, 15_000);
});

describe('reporters show the request id as onramp\'s, where the correlation id shows', () => {
  const failed: StepResult = { id: 'system-admin-logs-in', name: 'system admin logs in', kind: 'http', status: 'failed', durationMs: 2500, always: false, checks: [], violations: [], http: [], code: 'keycloak_slow', message: 'slow', expected: 'fast', actual: 'slow', requestId: { id: 'run1.j.3', sentBy: 'onramp' } };
  const run = { runId: 'run1', target: 't', startedAt: '2026-12-06T00:00:00.000Z', finishedAt: '2026-12-06T00:00:03.000Z', durationMs: 3000, status: 'failed' as const, journeys: [{ id: 'j', title: 'j', tags: [], status: 'failed' as const, durationMs: 3000, attempts: [{ attempt: 1, status: 'failed' as const, durationMs: 3000, steps: [failed] }] }] };

  it('json: request_id with sent_by onramp, beside correlation_id null', () => {
    const step = toReport(run).journeys[0]!.steps[0]!;
    expect(step).toMatchObject({ correlation_id: null, request_id: { id: 'run1.j.3', sent_by: 'onramp' } });
  });

  it('junit: in the failure message and its text', () => {
    const xml = toJUnitXml(run);
    expect(xml).toContain('request_id run1.j.3 sent by onramp');
    expect(xml).toContain('request_id: run1.j.3 (X-Request-ID sent by onramp)');
  });

  it('console: a request_id line under correlation_id', async () => {
    let text = '';
    const out = new Writable({ write: (c, _e, cb) => ((text += String(c)), cb()) });
    const reporter = new ConsoleReporter(out);
    reporter.onRunEnd(run);
    expect(text).toMatch(/correlation_id: none\n\s+request_id:\s+run1\.j\.3 \(X-Request-ID sent by onramp, not the target's\)/);
  });
});
