// The runbook's first triage step: the error envelope (code, message, correlation_id) and the
// request that got it: its line, and whether X-Project-ID was sent and with what value. From a
// failed step's recorded exchange, or, for an id from an incident, from the API's log line.
import type { HttpExchange, StepResult } from '../../engine/results.ts';
import { unavailable, type EnvelopeEvidence, type RequestEvidence, type Section } from '../evidence.ts';

/** The exchange the failure is about: the last error answer, else the last answer. */
function failingExchange(step: StepResult): HttpExchange | undefined {
  return step.http.findLast((h) => (h.status ?? 0) >= 400) ?? step.http.at(-1);
}

function parse(body: string | undefined): unknown {
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

function requestOf(h: HttpExchange): RequestEvidence {
  const headers = h.requestHeaders;
  const projectId = headers?.['x-project-id'];
  return {
    method: h.method,
    url: h.url,
    ...(h.status !== undefined ? { status: h.status } : {}),
    request_id: h.requestId,
    traceparent: h.traceparent,
    ...(headers ? { headers } : {}),
    project_id_sent: headers ? projectId !== undefined : null,
    ...(projectId !== undefined ? { project_id: projectId } : {}),
  };
}

export function envelopeFromStep(step: StepResult): Section<EnvelopeEvidence> {
  const h = failingExchange(step);
  if (!h) return unavailable(`the failing step is a ${step.kind} step and sent no HTTP request${step.correlationId ? ` (its correlation id is the one of the request whose effects it checked)` : ''}`);
  const body = parse(h.responseBody) as Record<string, unknown> | string | undefined;
  const env = typeof body === 'object' && body ? body : {};
  return {
    available: true,
    from: 'step',
    ...(typeof env.code === 'string' ? { code: env.code } : {}),
    ...(typeof env.message === 'string' ? { message: env.message } : typeof env.detail === 'string' ? { message: env.detail } : {}),
    ...(typeof env.correlation_id === 'string' ? { correlation_id: env.correlation_id } : {}),
    ...(body !== undefined ? { body } : {}),
    request: requestOf(h),
  };
}

/** From the API's own log line for the id: the request line and the answer's code; no request headers. */
export function envelopeFromLog(line: Record<string, unknown> | undefined, reportedCode: string | undefined, correlationId: string): Section<EnvelopeEvidence> {
  if (!line) {
    if (reportedCode) return { available: true, from: 'reported', code: reportedCode, correlation_id: correlationId };
    return unavailable('no API log line for this correlation id was found, and no --code was given from the envelope the user saw');
  }
  const code = reportedCode ?? (typeof line.code === 'string' ? line.code : undefined);
  return {
    available: true,
    from: 'log',
    ...(code ? { code } : {}),
    correlation_id: correlationId,
    request: {
      method: String(line.method ?? '?'),
      url: String(line.path ?? '?'),
      ...(typeof line.status === 'number' ? { status: line.status } : {}),
      ...(typeof line.request_id === 'string' ? { request_id: line.request_id } : {}),
      ...(typeof line.traceparent === 'string' ? { traceparent: line.traceparent } : {}),
      // A platform that logs the X-Project-ID it got says it was sent; its absence proves nothing.
      ...(typeof line.project_id === 'string' ? { project_id_sent: true, project_id: line.project_id } : { project_id_sent: null }),
    },
  };
}
