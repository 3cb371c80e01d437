// Small HTTP helpers shared by the IdP's handlers: Keycloak's standard response headers, JSON and
// HTML answers, and bounded body reading.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody as readBodyBounded } from '../http/read-body.ts';

/** Headers every Keycloak 26 response carries (see keycloak-reference/). */
export const SECURITY_HEADERS: Record<string, string> = {
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'SAMEORIGIN',
  'X-Robots-Tag': 'none',
};

/** Keycloak's Content-Security-Policy: on its pages, and on the bare answers of revocation and POST logout. */
export const CSP_HEADER = { 'Content-Security-Policy': "frame-src 'self'; frame-ancestors 'self'; object-src 'none';" };

export const HTML_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html;charset=utf-8',
  'Content-Language': 'en',
  ...CSP_HEADER,
};

export function send(res: ServerResponse, status: number, body: string | Buffer | undefined, headers: Record<string, string | string[]> = {}): void {
  if (res.headersSent) return;
  const merged: Record<string, string | string[]> = { ...SECURITY_HEADERS, ...headers };
  if (body !== undefined) merged['Content-Length'] = String(Buffer.byteLength(body));
  res.writeHead(status, merged);
  res.end(body);
}

/** JSON in Keycloak's admin style (`application/json;charset=UTF-8` on success bodies). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(body), { 'Content-Type': 'application/json', ...headers });
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string | string[]> = {}): void {
  send(res, status, html, { 'Cache-Control': 'no-store, must-revalidate, max-age=0', ...HTML_HEADERS, ...headers });
}

export { BodyTooLargeError } from '../http/read-body.ts';

/** Keycloak refuses a form that repeats any parameter (checkParameterDuplicated). */
export function hasDuplicatedParameter(form: URLSearchParams): boolean {
  const keys = [...form.keys()];
  return new Set(keys).size !== keys.length;
}

export function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  return readBodyBounded(req, limit);
}

/** The externally visible base URL (scheme://host:port) of this request, as Keycloak derives its issuer. */
export function baseUrlOf(req: IncomingMessage): string {
  const proto = (req.headers['x-forwarded-proto'] as string | undefined)?.split(',')[0] ?? 'http';
  return `${proto}://${req.headers.host ?? 'localhost'}`;
}
