// A gateway or platform that asks the caller to come back later (429 Too Many Requests, or 503
// with Retry-After, RFC 9110 §10.2.3) is throttling the synthetic client, not failing the
// operation: the step waits as asked and sends the request once more, when the wait fits its
// budget. The answer is `rate_limited` (owned by the platform/gateway), as a flaky pass or, when the
// wait does not fit or the retry is refused again, as the failure.
import type { HttpResponse } from './journey.ts';
import { StepFailure } from './failure.ts';

/** Statuses that ask for a retry when they carry Retry-After. */
export const RETRY_STATUSES: readonly number[] = [429, 503];

/** Retry-After in ms: delay-seconds or an HTTP date (a date in the past is no wait); undefined when absent or malformed. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  // Date.parse takes more than the IMF-fixdate; a bare number-like or free text is no date here.
  return Number.isNaN(at) || !/[a-z]/i.test(v) ? undefined : Math.max(0, at - now);
}

export interface RetryPlan {
  /** How long to wait before the one retry (ms). */
  waitMs: number;
  /** `429 Retry-After 2`, as a report shows the answer. */
  answer: string;
}

/** The retry an answer asks for, unless the step expects that status (a rate-limit probe). */
export function retryPlan(res: HttpResponse, expectedStatuses: readonly number[]): RetryPlan | undefined {
  if (!RETRY_STATUSES.includes(res.status) || expectedStatuses.includes(res.status)) return undefined;
  const header = [res.headers['retry-after']].flat()[0];
  const waitMs = retryAfterMs(header);
  return waitMs === undefined ? undefined : { waitMs, answer: `${res.status} Retry-After ${header!.trim()}` };
}

/** The wait asked for does not fit what the step has left: failed at once, as the throttling it is. */
export function waitTooLong(line: string, plan: RetryPlan, leftMs: number): StepFailure {
  const left = Math.max(0, Math.round(leftMs));
  return new StepFailure('rate_limited', `${line}: ${plan.answer} asks for a wait of ${plan.waitMs} ms, more than the step has left (${left} ms); not retried`, `a Retry-After within the step's budget (${left} ms left)`, plan.answer);
}

/** The retry was throttled again: still the gateway's or platform's limit, not the operation's failure. */
export function stillLimited(line: string, plan: RetryPlan, res: HttpResponse): StepFailure {
  return new StepFailure('rate_limited', `${line}: ${plan.answer}, retried once after ${plan.waitMs} ms, and ${res.status} again`, 'an answer to the retry', `${plan.answer}, then ${res.status}`);
}

/** Why a step that passed on its retry is flaky. */
export function passedOnRetry(line: string, plan: RetryPlan, res: HttpResponse): StepFailure {
  return new StepFailure('rate_limited', `${line}: ${plan.answer}, retried once after ${plan.waitMs} ms: ${res.status}`, 'an answer without throttling', plan.answer);
}
