// The shipped API journeys against a clean sandbox on PostgreSQL 15 (db steps run): every journey
// passes, and everything they created is gone again from the platform and from Keycloak.
import { beforeAll, describe, expect, it } from 'vitest';
import { useJourneySandbox } from './support.ts';

const env = useJourneySandbox();

describe('API journeys on a clean sandbox', () => {
  let result: Awaited<ReturnType<typeof env.run>>;
  beforeAll(async () => {
    result = await env.run(env.apiJourneys());
  }, 180_000);

  it('loads one journey per file, named after the file', () => {
    expect(env.journeys.map((j) => j.id).sort()).toEqual(['enrollment-tokens', 'identity-drift', 'idp-config-health', 'operator-bootstrap', 'personal-signup', 'project-scope', 'switch-user-login', 'tenant-admin-bootstrap']);
    for (const j of env.journeys) {
      expect(j.tags.filter((t) => t === 'api' || t === 'browser')).toHaveLength(1);
      expect(j.timeoutMs).toBeGreaterThan(0);
      expect(j.title).not.toBe('');
    }
  });

  it('passes every API journey, db steps included', () => {
    const summary = result.journeys.map((j) => ({ id: j.id, status: j.status, failed: env.firstFailure(j) }));
    expect(summary).toEqual(result.journeys.map((j) => ({ id: j.id, status: 'passed', failed: undefined })));
    const dbSteps = result.journeys.flatMap((j) => j.attempts[0]!.steps.filter((s) => s.kind === 'db'));
    expect(dbSteps.length).toBeGreaterThan(0);
    expect(dbSteps.every((s) => s.status === 'passed')).toBe(true);
  });

  it('checks API answers against the contract index', () => {
    const exchanges = result.journeys.flatMap((j) => j.attempts[0]!.steps.flatMap((s) => s.http));
    const checked = new Set(exchanges.map((x) => x.operationId).filter(Boolean));
    expect(checked.size).toBeGreaterThanOrEqual(10);
    expect(result.journeys.flatMap((j) => j.attempts[0]!.steps.flatMap((s) => s.violations))).toEqual([]);
  });

  it('runs every cleanup step', () => {
    const cleanups = result.journeys.flatMap((j) => j.attempts[0]!.steps.filter((s) => s.always));
    expect(cleanups.length).toBeGreaterThan(0);
    // Passed, or skipped because its condition did not hold (nothing to remove).
    expect(cleanups.filter((s) => s.status !== 'passed' && !(s.status === 'skipped' && s.message === 'its condition does not hold'))).toEqual([]);
  });

  it('leaves no synthetic user behind in the platform or in Keycloak', async () => {
    expect(await env.leftovers()).toEqual({ platform: [], keycloak: [] });
  });
});
