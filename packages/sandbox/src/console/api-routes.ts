// /app/api/*: the console's JSON endpoints for its client script. Each forwards to one platform
// endpoint with the session's access token and passes status, body and X-Correlation-ID through
// unchanged, so the browser sees the platform's own envelopes.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { accessTokenFor } from './access-token.ts';
import type { ConsoleContext } from './context.ts';
import { readSessionCookie } from './cookies.ts';
import { BodyTooLargeError, readBody, send, sendJson } from './http.ts';
import { callPlatform } from './platform-client.ts';

interface Forward {
  methods: string[];
  pattern: RegExp;
  target(match: RegExpExecArray): string;
}

// Path segments are restricted so a crafted id cannot walk to another platform path.
const SEGMENT = '([A-Za-z0-9_~@-][A-Za-z0-9._~@-]*)';

export const FORWARDS: Forward[] = [
  { methods: ['GET'], pattern: /^\/app\/api\/session$/, target: () => '/api/v1/session' },
  { methods: ['GET', 'POST'], pattern: /^\/app\/api\/enrollment-tokens$/, target: () => '/api/v1/agent-enrollment/tokens' },
  { methods: ['GET', 'POST'], pattern: /^\/app\/api\/scim-connections$/, target: () => '/api/v1/scim/connections' },
  { methods: ['DELETE'], pattern: new RegExp(`^/app/api/scim-connections/${SEGMENT}$`), target: (m) => `/api/v1/scim/connections/${m[1]}` },
  { methods: ['GET', 'POST'], pattern: /^\/app\/api\/admin\/tenants$/, target: () => '/api/v1/admin/tenants' },
  { methods: ['POST'], pattern: new RegExp(`^/app/api/admin/tenants/${SEGMENT}/users$`), target: (m) => `/api/v1/admin/tenants/${m[1]}/users` },
  {
    methods: ['POST'],
    pattern: new RegExp(`^/app/api/admin/tenants/${SEGMENT}/users/${SEGMENT}/verify$`),
    target: (m) => `/api/v1/admin/tenants/${m[1]}/users/${m[2]}/verify`,
  },
];

function consoleError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  const correlationId = randomUUID();
  sendJson(res, status, { code, message, correlation_id: correlationId }, { 'X-Correlation-ID': correlationId, ...headers });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export async function handleApi(ctx: ConsoleContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = req.method ?? 'GET';
  const route = FORWARDS.map((f) => ({ f, m: f.pattern.exec(url.pathname) })).find((x) => x.m);
  if (!route?.m) return consoleError(res, 404, 'not_found', `No console endpoint ${url.pathname}.`);
  if (!route.f.methods.includes(method)) return consoleError(res, 405, 'method_not_allowed', `${method} is not allowed on ${url.pathname}.`, { Allow: route.f.methods.join(', ') });

  if (method !== 'GET') {
    // With SameSite=Lax cookies, a JSON content type (which a cross-site form cannot send) and a
    // same-origin Origin keep other sites from driving mutations with the user's session.
    // A DELETE has no body, and no cross-site form or simple request can send one.
    if (method !== 'DELETE' && !/^application\/json\b/i.test(header(req, 'content-type') ?? '')) return consoleError(res, 415, 'unsupported_media_type', 'Send the request body as application/json.');
    const origin = header(req, 'origin');
    if (origin && origin !== new URL(ctx.url).origin) return consoleError(res, 403, 'cross_origin_refused', 'Cross-origin requests to the console are refused.');
  }

  const session = ctx.sessions.get(readSessionCookie(req));
  const token = session ? await accessTokenFor(ctx, session) : undefined;
  if (!token) return consoleError(res, 401, 'unauthenticated', 'The console session has ended. Sign in again.');

  let body: string | undefined;
  if (method === 'POST') {
    try {
      body = await readBody(req);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return consoleError(res, 413, 'payload_too_large', 'The request body is too large.');
      throw err;
    }
  }
  const answer = await callPlatform(ctx.config.platformUrl, token, method, route.f.target(route.m), {
    body,
    requestId: header(req, 'x-request-id'),
    traceparent: header(req, 'traceparent'),
  });
  send(res, answer.status, answer.text, {
    ...(answer.contentType ? { 'Content-Type': answer.contentType } : {}),
    ...(answer.correlationId ? { 'X-Correlation-ID': answer.correlationId } : {}),
  });
}
