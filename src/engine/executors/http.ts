// HTTP steps through undici, one dispatcher for the whole run. Every request carries X-Request-ID
// (run, journey, step, try) and a W3C traceparent; every response's correlation id is captured
// from the envelope or the X-Correlation-ID header; API responses are checked against the contracts.
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';
import type { JourneyContext } from '../context.ts';
import type { HttpExpectation, HttpResponse, HttpStep } from '../journey.ts';
import { StepFailure, describeMismatch } from '../failure.ts';
import type { ResponseValidator, StepExecutor } from './executor.ts';

export function createHttpExecutor(o: { contracts?: ResponseValidator; connections?: number } = {}): StepExecutor<HttpStep> {
  const dispatcher = new Agent({ connections: o.connections ?? 16, keepAliveTimeout: 10_000 });
  let seq = 0;
  return {
    kind: 'http',
    async run(step, ctx) {
      const times = step.repeat ?? 1;
      for (let i = 0; i < times; i++) {
        const spec = await step.request(ctx);
        const url = new URL(spec.path, ctx.target.apiUrl);
        const isApi = url.origin === new URL(ctx.target.apiUrl).origin;
        const requestId = `${ctx.runId}.${ctx.journeyId}.${++seq}`;
        const traceparent = `00-${traceId(ctx)}-${randomBytes(8).toString('hex')}-01`;
        const headers: Record<string, string> = { 'x-request-id': requestId, traceparent, accept: 'application/json' };
        for (const [k, v] of Object.entries(spec.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
        if (spec.token) headers.authorization = `Bearer ${spec.token}`;
        let body: string | undefined;
        if (spec.body instanceof URLSearchParams) {
          body = spec.body.toString();
          headers['content-type'] = 'application/x-www-form-urlencoded';
        } else if (spec.body !== undefined) {
          body = typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
          headers['content-type'] ??= 'application/json';
        }
        const exchange = { method: spec.method, url: `${url.origin}${url.pathname}`, requestId, traceparent, timings: { totalMs: 0 } as { headersMs?: number; totalMs: number }, status: undefined as number | undefined, operationId: undefined as string | undefined };
        ctx.recorder.http.push(exchange);
        const t0 = performance.now();
        let res;
        try {
          res = await request(url, { method: spec.method as 'GET', headers, body, dispatcher, signal: ctx.signal });
        } catch (err) {
          if (ctx.signal.aborted) throw err;
          throw new StepFailure('target_unreachable', `${spec.method} ${url.origin}${url.pathname}: ${(err as Error).message}`, 'a response', (err as { code?: string }).code ?? 'no response');
        }
        exchange.timings.headersMs = round(performance.now() - t0);
        exchange.status = res.statusCode;
        const text = await res.body.text();
        exchange.timings.totalMs = round(performance.now() - t0);
        const parsed = parseBody(text, res.headers['content-type']);
        const correlationId = (parsed as { correlation_id?: string } | undefined)?.correlation_id ?? header(res.headers['x-correlation-id']);
        if (correlationId) ctx.recorder.correlationId = correlationId;
        const response: HttpResponse = { status: res.statusCode, headers: res.headers, body: parsed, correlationId };

        const expectation = typeof step.expect === 'function' ? step.expect(ctx) : step.expect;
        if (isApi && o.contracts && expectation?.contract !== false) {
          const verdict = o.contracts.validateResponse({ method: spec.method, path: url.pathname, status: res.statusCode, body: parsed });
          exchange.operationId = verdict.operationId;
          ctx.recorder.violations.push(...verdict.violations);
        }
        if (expectation) expectStatus(expectation, response);
        if (ctx.recorder.violations.length) {
          const v = ctx.recorder.violations[0]!;
          throw new StepFailure('contract_violation', `${v.instancePath || '/'}: ${v.message}`, v.expected, v.actual);
        }
        await step.then?.(response, ctx);
      }
    },
    async close() {
      await dispatcher.close();
    },
  };
}

function expectStatus(e: HttpExpectation, res: HttpResponse): void {
  const statuses = Array.isArray(e.status) ? e.status : [e.status];
  const code = (res.body as { code?: string } | undefined)?.code;
  if (!statuses.includes(res.status) || (e.code !== undefined && code !== e.code)) {
    const expected = e.code === undefined ? statuses.join('|') : `${statuses.join('|')} ${e.code}`;
    const actual = code === undefined ? res.status : `${res.status} ${code}`;
    throw new StepFailure(e.failureCode ?? 'unexpected_status', describeMismatch('status', actual, expected), expected, actual);
  }
}

const traces = new WeakMap<JourneyContext, string>();
/** One trace per journey attempt, so every request of it shares the trace id. */
function traceId(ctx: JourneyContext): string {
  let t = traces.get(ctx);
  if (!t) traces.set(ctx, (t = randomBytes(16).toString('hex')));
  return t;
}

function parseBody(text: string, contentType: string | string[] | undefined): unknown {
  if (!text) return undefined;
  if (String(contentType ?? '').includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const round = (ms: number) => Math.round(ms * 10) / 10;
