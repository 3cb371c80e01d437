// The platform API's HTTP server: routing, the error envelopes, X-Correlation-ID on every
// response, and one pino JSON line per request with service, correlation_id, request_id,
// traceparent, the caller (user_id), the X-Project-ID sent and the error code of an error answer, so the runbook's `{service="gpuaas-api"} | json | correlation_id="..."` finds it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { PlatformContext } from './context.ts';
import { Router } from './http/router.ts';
import { ApiError, IdpFailure } from './http/errors.ts';
import { ClientAbortError } from '../http/read-body.ts';
import { readJson, type ApiHandler, type ApiRequest, type ApiResponse } from './http/request.ts';
import { registerRoutes } from './api/routes.ts';

export interface ExtraRoute {
  method: string;
  path: string;
  handler: ApiHandler;
}

export function createPlatformListener(ctx: PlatformContext, extra: ExtraRoute[] = []) {
  const router = new Router<ApiHandler>();
  registerRoutes(router);
  for (const r of extra) router.add(r.method, r.path, r.handler);

  return async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://platform.invalid');
    const correlationId = randomUUID();
    const header = (name: string) => {
      const v = req.headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    };
    let bodyPromise: Promise<Record<string, unknown>> | undefined;
    const r: ApiRequest = {
      req, res, url, params: {}, platform: ctx, correlationId,
      requestId: header('x-request-id'),
      traceparent: header('traceparent'),
      header,
      json: () => (bodyPromise ??= readJson(req)),
    };
    let out: ApiResponse;
    let failure: unknown;
    try {
      const found = router.match(req.method ?? 'GET', url.pathname);
      if (!found) out = errorResponse(ctx, new ApiError(404, 'not_found', `No route for ${req.method} ${url.pathname}.`), correlationId);
      else if ('allowed' in found) out = { ...errorResponse(ctx, new ApiError(405, 'method_not_allowed', `${req.method} is not allowed on ${url.pathname}.`), correlationId), headers: { Allow: found.allowed.join(', ') } };
      else {
        r.params = found.params;
        out = await found.handler(r);
      }
    } catch (err) {
      failure = err;
      out = errorResponse(ctx, err, correlationId);
    }
    const line = () => ({
      service: ctx.service,
      correlation_id: correlationId,
      request_id: r.requestId,
      traceparent: r.traceparent,
      method: req.method,
      path: url.pathname,
      status: out.status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
      user_id: r.principal?.userId,
      // The project context as sent: triage tells "header dropped" from "header missing" by it.
      ...(header('x-project-id') !== undefined ? { project_id: header('x-project-id') } : {}),
      ...(out.status >= 400 ? { code: (out.body as { code?: string } | undefined)?.code } : {}),
    });
    if (failure instanceof ClientAbortError) {
      // Nginx's 499: the client left mid-request; there is no one to answer and nothing broke here.
      out = { status: 499, body: { code: 'client_closed_request' } };
      ctx.log.warn({ ...line(), detail: failure.message }, 'client aborted the request');
      return;
    }
    // The unread rest of a timed-out body would be taken for the next request on this connection.
    if (out.status === 408) out.headers = { ...out.headers, Connection: 'close' };
    const body = out.body === undefined ? undefined : JSON.stringify(out.body);
    res.writeHead(out.status, {
      'X-Correlation-ID': correlationId,
      ...(body !== undefined ? { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)) } : {}),
      'Cache-Control': 'no-store',
      ...out.headers,
    });
    res.end(body);
    if (out.status >= 500) ctx.log.error({ ...line(), err: failure instanceof Error ? { message: failure.message, stack: failure.stack } : failure }, 'request failed');
    else ctx.log.info(line(), 'request');
  };
}

function errorResponse(ctx: PlatformContext, err: unknown, correlationId: string): ApiResponse {
  // The fault reproduces an envelope a triager cannot start from.
  const corr = ctx.faults.isOn('error_envelope_missing_correlation_id') ? {} : { correlation_id: correlationId };
  if (err instanceof ApiError) {
    return { status: err.status, body: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}), ...corr } };
  }
  if (err instanceof IdpFailure) {
    return {
      status: 422,
      body: { error: 'identity_provider_failure', code: err.code, detail: err.detail, remediation: err.remediation, ...(err.extra ?? {}), ...corr },
    };
  }
  return { status: 500, body: { code: 'internal_error', message: 'The platform failed to handle the request; see its log for this correlation id.', ...corr } };
}

/** Headers and body must have arrived by then; handlers that read the body give up sooner (BODY_TIMEOUT_MS). */
const REQUEST_TIMEOUT_MS = 10_000;

export interface RunningPlatform {
  url: string;
  close(): Promise<void>;
}

export async function listen(listener: ReturnType<typeof createPlatformListener>, port = 0, host = '127.0.0.1'): Promise<RunningPlatform> {
  // Node's own backstop for requests whose handler never reads the body: 408 and close after
  // REQUEST_TIMEOUT_MS, checked every second (its default check runs every 30 s).
  const server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1_000 }, (req, res) => void listener(req, res));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
