// What can go wrong below HTTP semantics, each with its own failure code, so a report tells a
// refused connection from a gateway's HTML 502: the code names the cause, `actual` carries the
// status and the first bytes of what came back (redacted).
import { StepFailure } from './failure.ts';
import type { StepFailureCode } from '../failures/catalog.ts';

/** Failure codes of the transport, in the order a request meets them. */
export const TRANSPORT_CODES = {
  /** Connection refused, host unresolvable or unroutable, connect timeout: nothing answered. */
  unreachable: 'target_unreachable',
  /** The connection closed or reset before the whole response arrived. */
  reset: 'connection_reset',
  /** Something answered, but not with HTTP. */
  notHttp: 'invalid_http_response',
  /** Connected, but the response (headers or body) did not come in time. */
  timeout: 'response_timeout',
  /** The body is declared JSON and does not parse. */
  badJson: 'invalid_json_body',
  /** An error status with a body that is not JSON: a gateway's or proxy's page, not the platform's envelope. */
  errorNotJson: 'error_body_not_json',
} as const satisfies Record<string, StepFailureCode>;

/** What a request that got no complete answer fails with. */
export type TransportCode = (typeof TRANSPORT_CODES)['unreachable' | 'reset' | 'notHttp' | 'timeout'] | 'transport_error';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** The code of a failed request by the error undici threw (its `code`, or its cause's). */
export function transportCode(err: unknown): TransportCode {
  const codes = [err, (err as { cause?: unknown })?.cause].map((e) => String((e as { code?: unknown })?.code ?? ''));
  if (codes.some((c) => UNREACHABLE.has(c))) return TRANSPORT_CODES.unreachable;
  if (codes.some((c) => TIMEOUT.has(c))) return TRANSPORT_CODES.timeout;
  // llhttp's parse errors: HPE_INVALID_CONSTANT, HPE_INVALID_VERSION, ...
  if (codes.some((c) => c.startsWith('HPE_')) || (err as Error)?.name === 'HTTPParserError') return TRANSPORT_CODES.notHttp;
  if (codes.some((c) => RESET.has(c))) return TRANSPORT_CODES.reset;
  return 'transport_error';
}

const WHAT: Record<TransportCode, string> = {
  [TRANSPORT_CODES.unreachable]: 'nothing answered',
  [TRANSPORT_CODES.reset]: 'the connection closed before the response was complete',
  [TRANSPORT_CODES.notHttp]: 'the answer is not HTTP',
  [TRANSPORT_CODES.timeout]: 'no response in time',
  transport_error: 'the request failed',
};

/**
 * Why a request got no answer, as a user can look it up: the system's code (the error's, else its
 * cause's: fetch wraps them), else the most specific message.
 */
export function failureReason(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
  return String(e?.code ?? e?.cause?.code ?? e?.cause?.message ?? e?.message ?? err);
}

/** A StepFailure for a request that got no complete HTTP response. */
export function transportFailure(err: unknown, request: string, status?: number): StepFailure {
  const code = transportCode(err);
  const detail = (err as Error)?.message || String(err);
  const actual = [status, failureReason(err)].filter((x) => x !== undefined).join(' ');
  return new StepFailure(code, `${request}: ${WHAT[code]} (${detail})`, status === undefined ? 'an HTTP response' : 'the whole response', actual);
}

/** The first bytes of a body for a report: cut, and with token-shaped and secret-named values masked. */
export function bodyExcerpt(text: string, max = 200): string {
  const masked = text
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[redacted]')
    .replace(/("[\w-]*(?:token|secret|password|credential)[\w-]*"\s*:\s*)"[^"]*"/gi, '$1"[redacted]"');
  const flat = masked.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}
