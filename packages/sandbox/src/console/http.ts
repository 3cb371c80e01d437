// Response helpers for the console: every answer is `Cache-Control: no-store` (pages carry user
// data and the auth callback carries a code), with headers that keep pages out of frames and keep
// the callback URL out of Referer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody as readBodyBounded } from '../http/read-body.ts';

const COMMON_HEADERS: Record<string, string> = {
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
};

// Scripts and styles only from the console itself: the page's state travels as inert JSON.
const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";

export type Headers = Record<string, string | string[]>;

export function send(res: ServerResponse, status: number, body: string | Buffer | undefined, headers: Headers = {}): void {
  if (res.headersSent) return;
  const merged: Headers = { ...COMMON_HEADERS, ...headers };
  if (body !== undefined) merged['Content-Length'] = String(Buffer.byteLength(body));
  res.writeHead(status, merged);
  res.end(body);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Headers = {}): void {
  send(res, status, html, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': PAGE_CSP, ...headers });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Headers = {}): void {
  send(res, status, JSON.stringify(body), { 'Content-Type': 'application/json; charset=utf-8', ...headers });
}

export function redirect(res: ServerResponse, location: string, headers: Headers = {}): void {
  send(res, 302, undefined, { Location: location, ...headers });
}

export { BodyTooLargeError } from '../http/read-body.ts';

export function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  return readBodyBounded(req, limit);
}
