// Calls to the platform API with the signed-in user's access token. A platform that cannot be
// reached becomes an answer in the platform's own envelope shape, so pages and the browser handle
// one kind of failure.
import { randomUUID } from 'node:crypto';

export interface PlatformAnswer {
  status: number;
  /** The raw body, passed through byte for byte by the console's JSON endpoints. */
  text: string;
  contentType?: string;
  correlationId?: string;
}

export interface ErrorEnvelope {
  code: string;
  message: string;
  correlation_id?: string;
  status: number;
}

const TIMEOUT_MS = 10_000;

export async function callPlatform(
  platformUrl: string,
  accessToken: string,
  method: string,
  path: string,
  o: { body?: string; requestId?: string; traceparent?: string } = {},
): Promise<PlatformAnswer> {
  try {
    const res = await fetch(`${platformUrl.replace(/\/$/, '')}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${accessToken}`,
        accept: 'application/json',
        ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(o.requestId ? { 'x-request-id': o.requestId } : {}),
        ...(o.traceparent ? { traceparent: o.traceparent } : {}),
      },
      body: o.body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return {
      status: res.status,
      text: await res.text(),
      contentType: res.headers.get('content-type') ?? undefined,
      correlationId: res.headers.get('x-correlation-id') ?? undefined,
    };
  } catch (err) {
    const correlationId = randomUUID();
    const body = { code: 'platform_unavailable', message: `The platform API did not answer: ${(err as Error).message}`, correlation_id: correlationId };
    return { status: 502, text: JSON.stringify(body), contentType: 'application/json; charset=utf-8', correlationId };
  }
}

export function parseJson(answer: PlatformAnswer): unknown {
  try {
    return answer.text ? JSON.parse(answer.text) : undefined;
  } catch {
    return undefined;
  }
}

/** The error envelope of a failed answer, in either of the platform's shapes (message or detail). */
export function errorEnvelope(answer: PlatformAnswer): ErrorEnvelope {
  const body = parseJson(answer) as Record<string, unknown> | undefined;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return {
    status: answer.status,
    code: str(body?.code) ?? str(body?.error) ?? `http_${answer.status}`,
    message: str(body?.detail) ?? str(body?.message) ?? `The platform answered HTTP ${answer.status}.`,
    correlation_id: str(body?.correlation_id) ?? answer.correlationId,
  };
}
