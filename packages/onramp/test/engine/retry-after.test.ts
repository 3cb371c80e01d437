// A gateway or platform that throttles (429, or 503 with Retry-After): one retry after the wait,
// only when it fits the step's budget; both requests are in the step's result (results.json too),
// a pass on the retry is flaky with `rate_limited` (never the operation's failure), a second 429 is
// still rate_limited, any other second answer is judged as the step's answer. A local server
// answers as the gateway would, from a script per test.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runJourneys } from '../../src/engine/runner.ts';
import { defineJourney, http, login, type HttpExpectation } from '../../src/engine/journey.ts';
import { retryAfterMs } from '../../src/engine/retry-after.ts';
import { toReport } from '../../src/reporters/json.ts';
import { toJUnitXml } from '../../src/reporters/junit.ts';
import { ConsoleReporter } from '../../src/reporters/console.ts';
import { HtmlReporter } from '../../src/reporters/html.ts';
import { targetAt, useLocalApi } from '../support/targets.ts';

const CID = '7d8e3c6a-0f55-4b8e-9d0a-5b2f0c1e9a77';
const PROJECTS = { projects: [] };

interface Answer {
  status: number;
  retryAfter?: string | (() => string);
}
/** What the server answers, request by request; the last answer repeats. */
let script: Answer[] = [];
let served = 0;
const api = useLocalApi((req, res) => {
  req.resume();
  const a = script[Math.min(served++, script.length - 1)]!;
  const retryAfter = typeof a.retryAfter === 'function' ? a.retryAfter() : a.retryAfter;
  const body = a.status === 200 ? PROJECTS : { code: a.status === 429 ? 'rate_limited' : 'unavailable', message: 'slow down', correlation_id: CID };
  res.writeHead(a.status, { 'content-type': 'application/json', 'x-correlation-id': CID, ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }) }).end(JSON.stringify(body));
});

async function run(answers: Answer[], o: { expect?: HttpExpectation; timeoutMs?: number } = {}) {
  script = answers;
  served = 0;
  const step = http('list projects', { timeoutMs: o.timeoutMs, request: () => ({ method: 'GET', path: '/api/v1/projects', token: 't' }), expect: o.expect ?? { status: 200, failureCode: 'projects_unavailable' } });
  const result = await runJourneys({ journeys: [defineJourney({ id: 'j', title: 'throttled', steps: [step] })], target: targetAt(api.url), executors: [api.executor] });
  const j = result.journeys[0]!;
  const s = j.attempts[0]!.steps[0]!;
  return { run: result, journey: j.status, status: s.status, code: s.code, flaky: s.flaky?.code, actual: s.actual, requests: s.http.map((h) => [h.status, h.retryAfterMs]), durationMs: s.durationMs, served };
}

describe('Retry-After', () => {
  it.each([
    ['429, Retry-After in seconds', [{ status: 429, retryAfter: '1' }, { status: 200 }], [[429, 1000], [200, undefined]]],
    ['503, Retry-After 0', [{ status: 503, retryAfter: '0' }, { status: 200 }], [[503, 0], [200, undefined]]],
  ] as const)('%s, then 200: one retry, the step passes, the journey is flaky with rate_limited', async (_name, answers, requests) => {
    const r = await run([...answers]);
    expect({ journey: r.journey, status: r.status, code: r.code, flaky: r.flaky, requests: r.requests, served: r.served }).toEqual({ journey: 'flaky', status: 'passed', code: undefined, flaky: 'rate_limited', requests, served: 2 });
    expect(r.durationMs).toBeGreaterThanOrEqual(requests[0][1]);
  });

  it('an HTTP date: waits until then', async () => {
    const r = await run([{ status: 429, retryAfter: () => new Date(Date.now() + 2_000).toUTCString() }, { status: 200 }]);
    expect({ journey: r.journey, flaky: r.flaky, served: r.served }).toEqual({ journey: 'flaky', flaky: 'rate_limited', served: 2 });
    // The date has whole seconds: the wait is between 1 and 2 s.
    expect(r.requests[0]![1]).toBeGreaterThan(900);
    expect(r.requests[0]![1]).toBeLessThanOrEqual(2_000);
  });

  it.each([
    ['429 again: still rate_limited, both answers shown', [{ status: 429, retryAfter: '0' }, { status: 429, retryAfter: '0' }], 'rate_limited', '429 Retry-After 0, then 429'],
    ['503 with Retry-After, then 500: the second answer judged as the step\'s', [{ status: 503, retryAfter: '0' }, { status: 500 }], 'projects_unavailable', '500 unavailable'],
    ['503 with Retry-After, then 503 again: the second answer judged as the step\'s', [{ status: 503, retryAfter: '0' }, { status: 503, retryAfter: '0' }], 'projects_unavailable', '503 unavailable'],
  ] as const)('%s', async (_name, answers, code, actual) => {
    const r = await run([...answers]);
    expect({ journey: r.journey, status: r.status, code: r.code, flaky: r.flaky, actual: r.actual, served: r.served }).toEqual({ journey: 'failed', status: 'failed', code, flaky: undefined, actual, served: 2 });
  });

  it("a Keycloak login answered 503 with Retry-After twice: retried once, then keycloak_down as any Keycloak 5xx", async () => {
    script = [{ status: 503, retryAfter: '0' }, { status: 503, retryAfter: '0' }];
    served = 0;
    const step = login('user logs in', { user: () => ({ username: 'u', password: 'p' }), saveAs: 'token' });
    const result = await runJourneys({ journeys: [defineJourney({ id: 'j', title: 'login', steps: [step] })], target: targetAt(api.url), executors: [api.executor] });
    const s = result.journeys[0]!.attempts[0]!.steps[0]!;
    expect({ code: s.code, statuses: s.http.map((h) => h.status), served }).toEqual({ code: 'keycloak_down', statuses: [503, 503], served: 2 });
  });

  it('a wait longer than the step has left fails at once as rate_limited, not retried', async () => {
    const r = await run([{ status: 429, retryAfter: '120' }, { status: 200 }], { timeoutMs: 5_000 });
    expect({ journey: r.journey, code: r.code, actual: r.actual, served: r.served }).toEqual({ journey: 'failed', code: 'rate_limited', actual: '429 Retry-After 120', served: 1 });
    expect(r.durationMs).toBeLessThan(2_000);
    expect(r.run.journeys[0]!.attempts[0]!.steps[0]!.expected).toMatch(/^a Retry-After within the step's budget \(\d+ ms left\)$/);
  });

  it.each([
    ['429 without Retry-After', [{ status: 429 }, { status: 200 }], { status: 200, failureCode: 'projects_unavailable' }, 'failed'],
    ['503 without Retry-After', [{ status: 503 }, { status: 200 }], { status: 200, failureCode: 'projects_unavailable' }, 'failed'],
    ['a Retry-After that is neither seconds nor a date', [{ status: 429, retryAfter: 'soon' }, { status: 200 }], { status: 200, failureCode: 'projects_unavailable' }, 'failed'],
    ['a 429 the step expects (a rate-limit probe)', [{ status: 429, retryAfter: '0' }, { status: 200 }], { status: [200, 429], contract: false }, 'passed'],
  ] as const)('%s: no retry', async (_name, answers, expectation, journey) => {
    const r = await run([...answers], { expect: expectation as HttpExpectation });
    expect({ journey: r.journey, served: r.served, flaky: r.flaky }).toEqual({ journey, served: 1, flaky: undefined });
  });

  it('results.json, JUnit, HTML and the console show the retried request and the flaky reason', async () => {
    const { run: result } = await run([{ status: 429, retryAfter: '0' }, { status: 200 }]);
    const ajv = new Ajv2020({ allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(await readFile(new URL('../../contracts/report.schema.json', import.meta.url), 'utf8')));
    const report = toReport(result);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const step = report.journeys[0]!.steps[0]!;
    expect({ summary: report.summary.flaky, flaky: step.flaky, requests: step.requests.map((q) => [q.status, q.retry_after_ms]) }).toEqual({
      summary: 1,
      flaky: { code: 'rate_limited', message: 'GET /api/v1/projects: 429 Retry-After 0, retried once after 0 ms: 200', expected: 'an answer without throttling', actual: '429 Retry-After 0' },
      requests: [[429, 0], [200, undefined]],
    });
    expect(toJUnitXml(result)).toContain('flaky: [rate_limited] GET /api/v1/projects: 429 Retry-After 0, retried once after 0 ms: 200');
    const html = await new HtmlReporter(tmpdir()).render(result);
    expect(html).toContain('<span class="badge flaky" title="GET /api/v1/projects: 429 Retry-After 0, retried once after 0 ms: 200">flaky: rate_limited</span>');
    let out = '';
    new ConsoleReporter(new Writable({ write: (c, _e, cb) => ((out += c), cb()) })).onRunEnd(result);
    expect(out).toContain('1 journeys: 0 passed, 0 failed, 1 flaky');
    expect(out).toContain('j > list projects  [rate_limited] GET /api/v1/projects: 429 Retry-After 0');
  });
});

describe('retryAfterMs', () => {
  const NOW = Date.parse('2026-12-06T10:00:00Z');
  it.each([
    ['0', 0],
    ['7', 7_000],
    [' 3 ', 3_000],
    ['Sun, 06 Dec 2026 10:00:05 GMT', 5_000],
    ['Sun, 06 Dec 2026 09:59:00 GMT', 0],
    [undefined, undefined],
    ['', undefined],
    ['-1', undefined],
    ['1.5', undefined],
    ['soon', undefined],
  ])('%j is %j ms', (value, ms) => {
    expect(retryAfterMs(value, NOW)).toBe(ms);
  });
});
