// Every failure code the journeys and the engine can emit has a runbook row. The codes are found
// mechanically: every snake_case string literal in journeys/ and src/engine (and every `code: '...'`), minus the literals
// that are field names or expected values (listed here, each with why), plus the codes of the
// platform's identity-provider envelope (journeys pass those through) and the fault table's. A
// new code without a row fails this test.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLASSIFICATION, classify } from '../../src/triage/classification.ts';
import { FAULT_TABLE } from '../support/fault-table.ts';
import { DEFAULT_SELECTORS } from '../../src/engine/browser/selectors.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

/** snake_case literals that are not failure codes. */
const NOT_CODES: Record<string, string> = {
  client_credentials: 'OAuth grant type', client_secret: 'OAuth form field', created_at: 'field', display_name: 'field', expires_at: 'field',
  in_sync: 'verify field', initial_password: 'field', is_default: 'field', org_id: 'field', platform_role: 'Keycloak attribute', platform_user_id: 'Keycloak attribute',
  project_id: 'field', secret_hash: 'column', temporary_password_pending: 'verification check name', tenant_admin: 'role', tenant_id: 'field',
  transaction_read_only: 'Postgres setting', user_id: 'field', system_admin: 'role', console_url: 'config field', headless_shell: 'Chromium binary name',
  // Selector names of browser steps (src/engine/browser/selectors.ts), added below from the defaults.
};
for (const group of Object.values(DEFAULT_SELECTORS)) for (const name of Object.keys(group)) NOT_CODES[name] ??= 'selector name';

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.ts')) out.push(await readFile(join(e.parentPath, e.name), 'utf8'));
  }
  return out;
}

async function emittedCodes(): Promise<Set<string>> {
  const codes = new Set<string>();
  for (const text of [...(await sources('journeys')), ...(await sources('src/engine'))]) {
    for (const m of text.matchAll(/'([a-z][a-z0-9]*(?:_[a-z0-9]+)+)'/g)) if (!(m[1]! in NOT_CODES)) codes.add(m[1]!);
    // One-word codes (`interrupted`) show only where a code is set.
    for (const m of text.matchAll(/\bcode: '([a-z][a-z0-9_]*)'/g)) codes.add(m[1]!);
  }
  const idpError = JSON.parse(await readFile(join(ROOT, 'contracts/schemas/idp-error.schema.json'), 'utf8')) as { properties: { code: { enum: string[] } } };
  for (const c of idpError.properties.code.enum) codes.add(c);
  for (const r of FAULT_TABLE) for (const c of r.catches) codes.add(c.code);
  return codes;
}

describe('failure classification', () => {
  it('has a runbook row for every code the journeys and the engine emit', async () => {
    const codes = await emittedCodes();
    expect(codes.size).toBeGreaterThan(50);
    expect([...codes].filter((c) => !(c in CLASSIFICATION)).sort(), 'codes without a row in src/triage/classification.ts').toEqual([]);
  });

  it('a row that no code uses is dead weight (except the platform envelope codes users bring)', async () => {
    const codes = await emittedCodes();
    const envelopeCodes = ['invalid_request', 'membership_denied', 'ownership_denied'];
    expect(Object.keys(CLASSIFICATION).filter((c) => !codes.has(c) && !envelopeCodes.includes(c))).toEqual([]);
  });

  it('every row names a symptom, cause, action, owner and source', () => {
    for (const [code, c] of Object.entries(CLASSIFICATION)) {
      expect({ code, empty: Object.entries(c).filter(([, v]) => !v).map(([k]) => k) }).toEqual({ code, empty: [] });
    }
  });

  it.each([
    ['project_context_required_despite_header', /X-Project-ID was sent/, /propagation/],
    ['membership_missing', /[Mm]embership/, /project_memberships/],
    ['keycloak_not_configured', /422 keycloak_not_configured/, /Helm values/],
    ['verification_mismatch', /red rows/, /realm mappers/],
    ['session_role_fallback', /Auditor view/, /role=tenant_admin/],
  ])('%s: symptom %s, action %s', (code, symptom, action) => {
    const c = classify(code);
    expect(c.known).toBe(true);
    expect(c.symptom).toMatch(symptom);
    expect(c.action).toMatch(action);
  });

  it('an unknown code falls back to the fast triage, marked unknown', () => {
    expect(classify('no_such_code')).toMatchObject({ code: 'no_such_code', known: false, symptom: 'Unclassified failure' });
  });
});
