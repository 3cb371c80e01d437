// HTTP steps through undici, one dispatcher for the whole run. Every request carries X-Request-ID
// (run, journey, step, try) and a W3C traceparent; every response's correlation id is captured
// from the envelope or the X-Correlation-ID header. The step's named checks run before the
// contract check, so a symptom is reported under its own code and a contract violation, still
// recorded with the step, never masks it.
import { randomBytes } from 'node:crypto';
import { Agent, request, type Dispatcher } from 'undici';
import type { JourneyContext } from '../context.ts';
import type { HttpExpectation, HttpRequestSpec, HttpResponse, HttpStep } from '../journey.ts';
import type { ContractViolation, HttpExchange } from '../results.ts';
import { StepFailure, describeMismatch, show } from '../failure.ts';
import { IdpWatchdog, isIdpUrl } from '../idp-latency.ts';
import { TRANSPORT_CODES, bodyExcerpt, transportFailure } from '../transport.ts';
import { decodeBody } from '../content-encoding.ts';
import { passedOnRetry, retryPlan, stillLimited, waitTooLong } from '../retry-after.ts';
import type { ResponseValidator, StepExecutor } from './executor.ts';

export interface HttpExecutorOptions {
  contracts?: ResponseValidator;
  connections?: number;
  /** Time for the response headers, and then for the body, of each request (ms). */
  responseTimeoutMs?: number;
}

export function createHttpExecutor(o: HttpExecutorOptions = {}): StepExecutor<HttpStep> {
  const timeout = o.responseTimeoutMs ?? 15_000;
  const dispatcher = new Agent({ connections: o.connections ?? 16, keepAliveTimeout: 10_000, headersTimeout: timeout, bodyTimeout: timeout });
  let seq = 0;
  return {
    kind: 'http',
    async run(step, ctx) {
      // Judged after every repeat: a determinism check must see all its answers before a contract
      // violation in the first one could end the step.
      let contract: StepFailure | undefined;
      for (let i = 0; i < (step.repeat ?? 1); i++) {
        const spec = await step.request(ctx);
        const url = new URL(spec.path, ctx.target.apiUrl);
        const isApi = url.origin === new URL(ctx.target.apiUrl).origin;
        const isIdp = isIdpUrl(ctx.target, url.href);
        // A platform call that keeps the caller waiting past the IdP budget while the IdP is slow too
        // (a signup or bootstrap waits on Keycloak) is keycloak_slow, named at once: its answer is
        // not waited for, and what it may have created is found by its synthetic name at cleanup
        // (ctx.lostAnswers). Cleanup steps never judge.
        const behind = !isIdp && !step.always ? new IdpWatchdog(ctx.target, `${spec.method} ${url.pathname}: the platform's answer, waiting on the identity provider`, true, ctx.signal) : undefined;
        const creates = !isIdp && !READ_ONLY.has(spec.method.toUpperCase());
        // One request (a retry after Retry-After is another, with its own X-Request-ID).
        const sendOnce = async () => {
          const requestId = `${ctx.runId}.${ctx.journeyId}.${++seq}`;
          const call = behind?.arm();
          const sending = send(dispatcher, spec, url, ctx, requestId, isIdp ? { judgeSlow: !step.always } : undefined, creates);
          try {
            return behind ? await Promise.race([sending, behind.verdict]) : await sending;
          } catch (err) {
            if (behind && err instanceof StepFailure && err.code === 'keycloak_slow') {
              abandon(dispatcher, sending);
              if (creates) ctx.answerLost(`${spec.method} ${url.pathname}`, sending);
              // No answer, so no correlation id: the platform logs the X-Request-ID onramp sent.
              ctx.recorder.requestId = requestId;
            }
            throw err;
          } finally {
            if (call !== undefined) behind!.disarm(call);
          }
        };
        let sent;
        let expectation: HttpExpectation | undefined;
        try {
          sent = await sendOnce();
          expectation = typeof step.expect === 'function' ? step.expect(ctx) : step.expect;
          sent = await retryIfAsked(sent, expectation, `${spec.method} ${url.pathname}`, ctx, sendOnce);
        } finally {
          behind?.stop();
        }
        const { response, exchange, contentType } = sent;
        const violations = isApi && o.contracts && expectation?.contract !== false ? checkContract(o.contracts, spec.method, url, response, exchange, ctx) : [];
        if (isApi && response.status >= 400 && typeof response.body !== 'object') {
          throw new StepFailure(TRANSPORT_CODES.errorNotJson, `${spec.method} ${url.pathname}: ${response.status} with a body that is not the platform's JSON envelope`, `${response.status} with a JSON error envelope`, `${response.status} ${contentType ?? 'no content-type'}: ${bodyExcerpt(String(response.body ?? ''))}`);
        }
        if (expectation) expectStatus(expectation, response);
        // Nothing where the contract wants a resource: the resource is unavailable (the step's own
        // code for that, else a contract violation), never judged by checks that would read the
        // missing fields as someone else's (a null session is not another user's).
        if (violations.length && (response.body === undefined || response.body === null)) throw emptyBody(expectation, response, `${exchange.operationId ?? `${spec.method} ${url.pathname}`} ${response.status}`, violations[0]!);
        await step.then?.(response, ctx);
        await behind?.settle();
        // Triage starts from the correlation id: an answer without any is its own symptom, named here
        // rather than by a later step (an audit lookup) that had nothing to look for.
        if (isApi && !response.correlationId) ctx.fail('correlation_id_missing', `${spec.method} ${url.pathname} ${response.status}: the answer carries no correlation id`, { expected: 'an X-Correlation-ID header', actual: 'none (no X-Correlation-ID header, no correlation_id in the body)' });
        if (violations.length) contract ??= contractFailure(violations, spec.method, url, response.status, exchange.operationId);
      }
      // A soft named failure already explains the step; the violations stay recorded with it.
      if (contract && !ctx.recorder.softFailure) throw contract;
    },
    async close() {
      // Late answers of a slow IdP, abandoned by steps that named it: not waited for at the end.
      if (abandoned.get(dispatcher)?.size) await dispatcher.destroy();
      else await dispatcher.close();
    },
  };
}

/** Requests whose answer a step stopped waiting for (a slow IdP named), per dispatcher. */
const abandoned = new WeakMap<Dispatcher, Set<Promise<unknown>>>();

/** Keeps an abandoned request's late answer (read and dropped when it comes) from holding up the end of the run. */
function abandon(dispatcher: Dispatcher, request: Promise<unknown>): void {
  const late = request.catch(() => undefined);
  const set = abandoned.get(dispatcher) ?? new Set();
  abandoned.set(dispatcher, set.add(late));
  void late.finally(() => set.delete(late));
}

/** Methods that create nothing: a lost answer of one leaves nothing behind. */
const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);

/**
 * `idp`: the request goes to the IdP (a login): its id is recorded as onramp's, and a slow IdP is
 * judged unless `judgeSlow` is false (cleanup). `creates`: a request that may create something;
 * when it gets no complete, well-formed answer (or a 5xx, a gateway's maybe) it is recorded in
 * ctx.lostAnswers. The step's recorder and deadline are taken at the start: an abandoned request
 * ends after its step.
 */
async function send(dispatcher: Dispatcher, spec: HttpRequestSpec, url: URL, ctx: JourneyContext, requestId: string, idp: { judgeSlow: boolean } | undefined, creates: boolean): Promise<{ response: HttpResponse; exchange: HttpExchange; contentType?: string }> {
  const rec = ctx.recorder;
  const signal = ctx.signal;
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
  const line = `${spec.method} ${url.origin}${url.pathname}`;
  const exchange: HttpExchange = { method: spec.method, url: `${url.origin}${url.pathname}`, requestId, traceparent, requestHeaders: maskHeaders(headers), timings: { totalMs: 0 } };
  rec.http.push(exchange);
  // An IdP answer has no platform correlation id: the id onramp sent is what its logs are searched by.
  if (idp) rec.requestId = requestId;
  const t0 = performance.now();
  let res: Dispatcher.ResponseData;
  const watchdog = idp ? new IdpWatchdog(ctx.target, `${line} (X-Request-ID ${requestId})`, idp.judgeSlow, signal) : undefined;
  try {
    const call = watchdog?.arm();
    const sent = request(url, { method: spec.method as 'GET', headers, body, dispatcher, signal });
    try {
      res = watchdog ? await Promise.race([sent, watchdog.verdict]) : await sent;
    } catch (err) {
      // Named slow: the late answer is read and dropped when it comes (an aborted request would cost the IdP more).
      if (err instanceof StepFailure) abandon(dispatcher, sent.then((r) => r.body.dump()));
      throw err;
    } finally {
      if (call !== undefined) watchdog!.disarm(call);
      watchdog?.stop();
    }
    // A probe under way (the answer came past the budget) still decides: a slow IdP is keycloak_slow, answer or not.
    await watchdog?.settle().catch((err: unknown) => {
      void res.body.dump().catch(() => undefined);
      throw err;
    });
  } catch (err) {
    if (err instanceof StepFailure) throw err;
    if (creates) ctx.answerLost(line);
    if (signal.aborted) throw err;
    throw transportFailure(err, line);
  }
  exchange.timings.headersMs = round(performance.now() - t0);
  exchange.status = res.statusCode;
  let raw: Buffer;
  try {
    raw = Buffer.from(await res.body.arrayBuffer());
  } catch (err) {
    if (creates) ctx.answerLost(line);
    if (signal.aborted) throw err;
    throw transportFailure(err, line, res.statusCode);
  }
  exchange.timings.totalMs = round(performance.now() - t0);
  let text: string;
  try {
    text = decodeBody(raw, [res.headers['content-encoding'] ?? []].flat().join(', '), line, res.statusCode).toString('utf8');
  } catch (err) {
    // Undecodable: whatever the request created, its answer is lost.
    if (creates) ctx.answerLost(line);
    throw err;
  }
  rec.responseTexts.set(exchange, text);
  if (creates && res.statusCode >= 500) ctx.answerLost(line);
  const contentType = header(res.headers['content-type']);
  let parsed: unknown = text || undefined;
  if (text && (contentType ?? '').includes('json')) {
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      if (creates && res.statusCode < 500) ctx.answerLost(line);
      throw new StepFailure(TRANSPORT_CODES.badJson, `${line}: the body is declared ${contentType} and does not parse (${(err as Error).message})`, 'a JSON body', `${res.statusCode} ${bodyExcerpt(text)}`);
    }
  }
  const correlationId = (parsed as { correlation_id?: unknown } | undefined)?.correlation_id;
  const cid = (typeof correlationId === 'string' && correlationId) || header(res.headers['x-correlation-id']);
  if (cid) rec.correlationId = cid;
  return { response: { status: res.statusCode, headers: res.headers, body: parsed, correlationId: cid }, exchange, contentType };
}

function checkContract(contracts: ResponseValidator, method: string, url: URL, res: HttpResponse, exchange: HttpExchange, ctx: JourneyContext) {
  const verdict = contracts.validateResponse({ method, path: url.pathname, status: res.status, body: res.body });
  exchange.operationId = verdict.operationId;
  ctx.recorder.violations.push(...verdict.violations);
  return verdict.violations;
}

/** `createTenant 201: /id: expected uuid, actual missing (+1 more)`: the path once, the status and the operation. */
function contractFailure(violations: ContractViolation[], method: string, url: URL, status: number, operationId?: string): StepFailure {
  const first = violations[0]!;
  const more = violations.length > 1 ? ` (+${violations.length - 1} more)` : '';
  return new StepFailure('contract_violation', `${operationId ?? `${method} ${url.pathname}`} ${status}: ${first.message}${more}`, first.expected, first.actual);
}

type Sent = Awaited<ReturnType<typeof send>>;

/**
 * An answer that asks for a retry (429 or 503 with Retry-After, not expected by the step): one
 * retry after the wait, when the wait and another request as long as the first fit the step's
 * budget, else `rate_limited` at once. A pass on the retry makes the step flaky (`rate_limited`); a
 * second 429 is still the limit, any other answer is judged as the step's answer.
 */
async function retryIfAsked(first: Sent, e: HttpExpectation | undefined, line: string, ctx: JourneyContext, again: () => Promise<Sent>): Promise<Sent> {
  const statuses = e === undefined ? [] : [e.status].flat();
  const plan = retryPlan(first.response, statuses);
  if (!plan) return first;
  const left = ctx.deadline - Date.now();
  if (plan.waitMs + first.exchange.timings.totalMs > left) throw waitTooLong(line, plan, left);
  first.exchange.retryAfterMs = plan.waitMs;
  await ctx.sleep(plan.waitMs);
  const second = await again();
  if (second.response.status === 429 && !statuses.includes(429)) throw stillLimited(line, plan, second.response);
  ctx.recorder.flaky ??= passedOnRetry(line, plan, second.response);
  return second;
}

function emptyBody(e: HttpExpectation | undefined, res: HttpResponse, what: string, first: ContractViolation): StepFailure {
  const code = typeof e?.failureCode === 'function' ? e.failureCode(res) : (e?.failureCode ?? 'contract_violation');
  const actual = res.body === null ? 'null' : 'an empty body';
  return new StepFailure(code, `${what}: ${actual} where the contract expects ${show(first.expected)}`, first.expected, actual);
}

function expectStatus(e: HttpExpectation, res: HttpResponse): void {
  const statuses = Array.isArray(e.status) ? e.status : [e.status];
  const code = (res.body as { code?: string } | undefined)?.code;
  // The expected error status with another code: the platform changed what it says, not whether it
  // refuses; the step's failureCode names a status mismatch and does not apply.
  if (statuses.includes(res.status) && res.status >= 400 && e.code !== undefined && code !== e.code) {
    const expected = `${res.status} ${e.code}`;
    const actual = `${res.status} ${typeof code === 'string' ? code : 'without a code'}`;
    throw new StepFailure('error_code_changed', `${describeMismatch('error code', actual, expected)} (the expected status with another code than the step expects)`, expected, actual);
  }
  if (!statuses.includes(res.status) || (e.code !== undefined && code !== e.code)) {
    const expected = e.code === undefined ? statuses.join('|') : `${statuses.join('|')} ${e.code}`;
    const actual = code === undefined ? res.status : `${res.status} ${code}`;
    const failureCode = typeof e.failureCode === 'function' ? e.failureCode(res) : (e.failureCode ?? 'unexpected_status');
    throw new StepFailure(failureCode, describeMismatch('status', actual, expected), expected, actual);
  }
}

const traces = new WeakMap<JourneyContext, string>();
/** One trace per journey attempt, so every request of it shares the trace id. */
function traceId(ctx: JourneyContext): string {
  let t = traces.get(ctx);
  if (!t) traces.set(ctx, (t = randomBytes(16).toString('hex')));
  return t;
}

/** Headers as a report may show them: credentials keep their scheme, never their value. */
function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, k === 'cookie' ? '[redacted]' : /^(proxy-)?authorization$/.test(k) ? `${v.split(' ')[0]} [redacted]` : v]));
}

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const round = (ms: number) => Math.round(ms * 10) / 10;
