// A platform's own error code is data, never a failure code: an upstream that invents codes must not
// multiply the `code` label. Envelopes with random codes the platform might invent (and codes that
// happen to share a name with one of onramp's) go through the checks, then through every HTTP step
// of the built-in journeys on the real HTTP executor; every code that comes out is a row of the
// catalogue, the platform's code shows in `actual`, and a 422 of the Keycloak path with a code
// onramp does not know is `error_code_changed`.
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { checkErrorEnvelope, failOnIdpError, IDP_ERROR_CODES, idpFailure } from '../../src/engine/checks.ts';
import { JourneyContext } from '../../src/engine/context.ts';
import { StepFailure } from '../../src/engine/failure.ts';
import { defineJourney, loginFailureCode, type HttpResponse, type JourneyDefinition } from '../../src/engine/journey.ts';
import { runJourneys } from '../../src/engine/runner.ts';
import { isStepFailureCode } from '../../src/failures/catalog.ts';
import { targetAt, useLocalApi } from '../support/targets.ts';

const CID = '7d8e3c6a-0f55-4b8e-9d0a-5b2f0c1e9a77';
/** A code the platform might invent: snake_case, never seen before. */
const inventedCode = () => `${['quota', 'tenant', 'keycloak', 'project', 'user'][randomBytes(1)[0]! % 5]}_${randomBytes(4).toString('hex')}_${['exceeded', 'locked', 'gone', 'denied'][randomBytes(1)[0]! % 4]}`;
/** Platform codes that share a name with a failure code, or are known to the contract elsewhere: still only data here. */
const LOOKALIKES = ['internal_error', 'verification_mismatch', 'membership_missing', 'invalid_request', 'membership_denied', 'not_found'];
const CODES = [...Array.from({ length: 8 }, inventedCode), ...LOOKALIKES];
const STATUSES = [400, 401, 403, 404, 409, 422, 500, 503];

const envelope = (status: number, code: string | undefined): HttpResponse => ({
  status,
  headers: { 'x-correlation-id': CID, 'content-type': 'application/json' },
  body: status === 422 ? { error: 'identity_provider_failure', ...(code === undefined ? {} : { code }), detail: 'd', remediation: 'r', correlation_id: CID } : { code, message: 'm', correlation_id: CID },
  correlationId: CID,
});

/** Runs a check on a fresh context: the code it failed with (thrown or recorded), if any. */
function codesOf(check: (res: HttpResponse, ctx: JourneyContext) => void, res: HttpResponse): { codes: string[]; failure?: StepFailure } {
  const ctx = new JourneyContext('run', 'j', 1, targetAt('http://127.0.0.1:1'));
  try {
    check(res, ctx);
  } catch (err) {
    if (!(err instanceof StepFailure)) throw err;
    return { codes: [err.code, ...ctx.recorder.checks.flatMap((c) => (c.code ? [c.code] : []))], failure: err };
  }
  return { codes: ctx.recorder.checks.flatMap((c) => (c.ok || !c.code ? [] : [c.code])) };
}

describe('the checks, fed envelopes with codes the platform invents', () => {
  const CHECKS: [string, (res: HttpResponse, ctx: JourneyContext) => void][] = [
    ['failOnIdpError', (res, ctx) => failOnIdpError(res, ctx)],
    ['checkErrorEnvelope', checkErrorEnvelope],
    ['loginFailureCode', (res, ctx) => ctx.fail(loginFailureCode(res), 'login')],
  ];
  it.each(CHECKS)('%s answers catalogue codes only, for every status and code', (_name, check) => {
    const outside: string[] = [];
    for (const status of STATUSES) {
      for (const code of CODES) {
        const { codes } = codesOf(check, envelope(status, code));
        outside.push(...codes.filter((c) => !isStepFailureCode(c)).map((c) => `${status} ${code}: ${c}`));
      }
    }
    expect(outside).toEqual([]);
  });

  it.each(CODES.filter((c) => !(IDP_ERROR_CODES as readonly string[]).includes(c)))('a 422 of the Keycloak path with %s is error_code_changed: the known codes expected, the answer actual', (code) => {
    const { failure } = codesOf((res, ctx) => failOnIdpError(res, ctx), envelope(422, code));
    expect({ code: failure?.code, expected: failure?.expected, actual: failure?.actual }).toEqual({ code: 'error_code_changed', expected: { status: 422, code: IDP_ERROR_CODES }, actual: { status: 422, code } });
  });

  it.each([
    ['keycloak_not_configured', 'keycloak_config_missing'],
    ['keycloak_admin_credentials_missing', 'keycloak_admin_secret_missing'],
    ['keycloak_verification_failed', 'verification_mismatch'],
    ['keycloak_unavailable', 'keycloak_down'],
    [undefined, 'keycloak_bootstrap_failed'],
  ])("a 422 with the platform's %s is %s, the platform's code kept in actual", (platform, code) => {
    const failure = idpFailure(envelope(422, platform));
    expect({ code: failure?.code, actual: failure?.actual }).toEqual({ code, actual: { status: 422, code: platform } });
  });

  it('anything but a 422 is not the Keycloak path failing', () => {
    for (const status of STATUSES.filter((s) => s !== 422)) expect(idpFailure(envelope(status, 'keycloak_unavailable'))).toBeUndefined();
  });
});

describe("every HTTP step of the built-in journeys, answered with invented codes", () => {
  /** What the server answers next: every request of a step gets it. */
  let answer = { status: 500, code: 'x' as string | undefined };
  const api = useLocalApi((req, res) => {
    req.resume();
    const { body } = envelope(answer.status, answer.code);
    res.writeHead(answer.status, { 'content-type': 'application/json', 'x-correlation-id': CID }).end(JSON.stringify(body));
  });

  async function builtInJourneys(): Promise<JourneyDefinition[]> {
    const dir = new URL('../../journeys/', import.meta.url);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.journey.ts')).sort();
    return Promise.all(files.map(async (f) => ((await import(new URL(f, dir).href)) as { default: JourneyDefinition }).default));
  }

  it('reports catalogue codes only, for every step, status and invented code', async () => {
    const journeys = await builtInJourneys();
    expect(journeys.length).toBeGreaterThan(5);
    const seen = new Set<string>();
    const outside: string[] = [];
    let steps = 0;
    for (const j of journeys) {
      for (const step of j.steps.filter((s) => s.kind === 'http')) {
        // Each step alone, its `when` lifted: the step runs as if every earlier one had passed.
        const alone = defineJourney({ id: j.id, title: j.title, steps: [{ ...step, when: undefined, always: false }] });
        for (const status of [400, 403, 422, 500]) {
          answer = { status, code: inventedCode() };
          const run = await runJourneys({ journeys: [alone], target: targetAt(api.url, { consoleUrl: api.url }), executors: [api.executor], stepTimeoutMs: 5_000 });
          const result = run.journeys[0]!.attempts[0]!.steps[0]!;
          steps++;
          const codes = [result.code, ...result.checks.map((c) => c.code)].filter((c) => c !== undefined);
          for (const c of codes) {
            seen.add(c);
            if (!isStepFailureCode(c) || c === answer.code) outside.push(`${j.id} > ${step.name} on ${status} ${answer.code}: ${c}`);
          }
        }
      }
    }
    expect(steps).toBeGreaterThan(100);
    expect(outside).toEqual([]);
    // The invented code of a 422 on the Keycloak path is named as such, not passed through.
    expect(seen).toContain('error_code_changed');
  }, 120_000);
});
