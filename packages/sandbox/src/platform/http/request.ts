// One API request as handlers see it: params, parsed JSON body, the caller, and the ids that tie
// it to logs and audit (correlation id; the caller's X-Request-ID and W3C traceparent).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BODY_TIMEOUT_MS, BodyTimeoutError, BodyTooLargeError, readBody } from '../../http/read-body.ts';
import type { PlatformContext } from '../context.ts';
import type { Params } from './router.ts';
import { ApiError, invalidRequest } from './errors.ts';
import type { Principal } from './auth.ts';

export interface ApiRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Params;
  platform: PlatformContext;
  correlationId: string;
  requestId?: string;
  traceparent?: string;
  /** The authenticated caller; set by `authenticate`. */
  principal?: Principal;
  /** The JSON body; a 400 invalid_request names the problem when it is not a JSON object. */
  json(): Promise<Record<string, unknown>>;
  header(name: string): string | undefined;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type ApiHandler = (r: ApiRequest) => Promise<ApiResponse>;

const MAX_BODY = 256 * 1024;

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readBody(req, MAX_BODY);
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw invalidRequest(`Request body is larger than ${MAX_BODY} bytes.`);
    if (err instanceof BodyTimeoutError) throw new ApiError(408, 'request_timeout', `The request body did not arrive within ${BODY_TIMEOUT_MS / 1000} s.`);
    // ClientAbortError passes through: the server logs it as the client's doing, and answers no one.
    throw err;
  }
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw invalidRequest(`Request body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidRequest('Request body must be a JSON object.');
  return value as Record<string, unknown>;
}
