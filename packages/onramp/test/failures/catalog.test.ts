// The failure catalogue is the one source of failure codes. The codes are found mechanically: every
// snake_case string literal in journeys/ and src/engine, and every code set anywhere in src/ (`code:
// '...'`, `failureCode: '...'`, `fail('...'`, `new StepFailure('...'`), minus the literals that are
// field names or expected values (listed here, each with why) and the platform's own codes (data,
// compared with answers), plus the fault table's. A code without a row, a row no code uses, a
// run-level code a step uses, an owner that is no team or an alias that collides fails here; the
// types reject the same mistakes at compile time (the `@ts-expect-error` lines below).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAILURES, TEAMS, classify, classifyReported, codeOfPlatformError, isFailureCode, type FailureCode, type FailureRow, type StepFailureCode } from '../../src/failures/catalog.ts';
import { IDP_ERROR_CODES } from '../../src/engine/checks.ts';
import { StepFailure } from '../../src/engine/failure.ts';
import { defineJourney, http } from '../../src/engine/journey.ts';
import type { RunError, StepResult } from '../../src/engine/results.ts';
import { FAULT_TABLE } from '../support/fault-table.ts';
import { DEFAULT_SELECTORS } from '../../src/engine/browser/selectors.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const ROWS = Object.entries(FAILURES) as [FailureCode, FailureRow][];
const RUN_LEVEL = ROWS.filter(([, r]) => r.runLevel).map(([c]) => c);

/** snake_case literals that are not failure codes. */
const NOT_CODES: Record<string, string> = {
  client_credentials: 'OAuth grant type', client_secret: 'OAuth form field', created_at: 'field', display_name: 'field', expires_at: 'field',
  in_sync: 'verify field', initial_password: 'field', is_default: 'field', org_id: 'field', platform_role: 'Keycloak attribute', platform_user_id: 'Keycloak attribute',
  project_id: 'field', secret_hash: 'column', temporary_password_pending: 'verification check name', tenant_admin: 'role', tenant_id: 'field',
  transaction_read_only: 'Postgres setting', user_id: 'field', system_admin: 'role', console_url: 'config field', headless_shell: 'Chromium binary name',
  earlier_failure: 'skip reason (SkipReason)', no_executor: 'skip reason (SkipReason)',
  // Selector names of browser steps (src/engine/browser/selectors.ts), added below from the defaults.
};
for (const group of Object.values(DEFAULT_SELECTORS)) for (const name of Object.keys(group)) NOT_CODES[name] ??= 'selector name';

const readJson = async (path: string) => JSON.parse(await readFile(join(ROOT, path), 'utf8'));

/** The platform's error codes its contract names: data a journey compares answers with, never a failure code. */
async function platformCodes(): Promise<Set<string>> {
  const out = new Set<string>();
  const error = await readJson('contracts/schemas/error.schema.json');
  for (const def of Object.values(error.$defs) as { properties?: { code?: { const?: string; enum?: string[] } } }[]) {
    const c = def.properties?.code;
    for (const v of [c?.const, ...(c?.enum ?? [])]) if (v) out.add(v);
  }
  const idp = await readJson('contracts/schemas/idp-error.schema.json');
  for (const v of [idp.properties.error.const, ...idp.properties.code.enum]) out.add(v);
  return out;
}

async function sources(dir: string): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  for (const e of await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.ts')) out.push({ file: relative(ROOT, join(e.parentPath, e.name)), text: await readFile(join(e.parentPath, e.name), 'utf8') });
  }
  return out;
}

const SETS_A_CODE = /(?:\bcode: |\bfailureCode: |\.fail\(|new StepFailure\()'([a-z][a-z0-9_]*)'/g;

async function emittedCodes(): Promise<Set<string>> {
  const codes = new Set<string>();
  const platform = await platformCodes();
  for (const { text } of [...(await sources('journeys')), ...(await sources('src/engine'))]) {
    for (const m of text.matchAll(/'([a-z][a-z0-9]*(?:_[a-z0-9]+)+)'/g)) if (!(m[1]! in NOT_CODES) && !platform.has(m[1]!)) codes.add(m[1]!);
  }
  // One-word codes (`interrupted`) show only where a code is set; run errors are set in commands and the monitor.
  for (const { file, text } of [...(await sources('journeys')), ...(await sources('src'))]) {
    if (file.startsWith('src/failures/')) continue;
    for (const m of text.matchAll(SETS_A_CODE)) codes.add(m[1]!);
  }
  for (const r of FAULT_TABLE) for (const c of r.catches) codes.add(c.code);
  return codes;
}

/** Where a run-level code may be set: a RunError (a run signal's abort reason, a run that could not start, runErrorOf's fallback). */
const RUN_ERROR_SITE = /\babort\(\{ code: '|failedRun\(.*\{ code: '|return \{ code: '[a-z_]+', message: \(reason/;

describe('the failure catalogue', () => {
  it('has a row for every code the journeys and onramp emit', async () => {
    const codes = await emittedCodes();
    expect(codes.size).toBeGreaterThan(50);
    expect([...codes].filter((c) => !isFailureCode(c)).sort(), 'codes without a row in src/failures/catalog.ts').toEqual([]);
  });

  it('has no row that nothing uses: every row is emitted, or reached through an alias of the platform', async () => {
    const codes = await emittedCodes();
    expect(ROWS.filter(([c, r]) => !codes.has(c) && !r.aliases.length).map(([c]) => c)).toEqual([]);
  });

  it('names a symptom, cause, action, owner and source in every row', () => {
    for (const [code, r] of ROWS) {
      const { symptom, cause, action, owner, source } = r;
      expect({ code, empty: Object.entries({ symptom, cause, action, owner, source }).filter(([, v]) => !v).map(([k]) => k) }).toEqual({ code, empty: [] });
    }
  });

  it("names one of the teams as every row's owner", () => {
    const teams: string[] = Object.values(TEAMS);
    expect(ROWS.filter(([, r]) => !teams.includes(r.owner)).map(([c, r]) => `${c}: ${r.owner}`)).toEqual([]);
  });

  it('keeps the run-level codes to run errors: set only where a RunError is made, never by a journey or a step', async () => {
    expect(RUN_LEVEL.sort()).toEqual(['fault_switch_failed', 'internal_error', 'interrupted', 'monitor_stopping', 'target_start_failed']);
    const misused: string[] = [];
    const used = new Set<string>();
    for (const { file, text } of [...(await sources('journeys')), ...(await sources('src'))]) {
      if (file.startsWith('src/failures/')) continue;
      text.split('\n').forEach((line, i) => {
        for (const code of RUN_LEVEL) {
          // Where it is set as a code: a journey status `interrupted` or the monitor API's `error: 'internal_error'` is none.
          if (![...line.matchAll(SETS_A_CODE)].some((m) => m[1] === code)) continue;
          if (!file.startsWith('journeys/') && RUN_ERROR_SITE.test(line)) used.add(code);
          else misused.push(`${file}:${i + 1}: ${line.trim().slice(0, 120)}`);
        }
      });
    }
    expect(misused, 'run-level codes outside a RunError').toEqual([]);
    expect([...used].sort(), 'every run-level code is raised somewhere').toEqual([...RUN_LEVEL].sort());
  });

  it('keeps aliases apart from codes: no alias is a code, none is listed twice', () => {
    const aliases = ROWS.flatMap(([c, r]) => r.aliases.map((a) => ({ a, c })));
    expect(aliases.filter(({ a }) => isFailureCode(a)).map(({ a, c }) => `${c}: ${a}`), 'aliases that are failure codes').toEqual([]);
    const seen = new Map<string, string>();
    const twice = aliases.filter(({ a, c }) => seen.has(a) || !seen.set(a, c)).map(({ a, c }) => `${a}: ${seen.get(a)} and ${c}`);
    expect(twice).toEqual([]);
    expect(aliases.filter(({ c }) => FAILURES[c].runLevel)).toEqual([]);
  });

  it("maps every code of the platform's identity-provider envelope to a row, and the checks know the same codes", async () => {
    const idp = await readJson('contracts/schemas/idp-error.schema.json');
    expect([...IDP_ERROR_CODES].sort()).toEqual([...idp.properties.code.enum].sort());
    expect(Object.fromEntries(IDP_ERROR_CODES.map((c) => [c, codeOfPlatformError(c)]))).toEqual({
      keycloak_not_configured: 'keycloak_config_missing',
      keycloak_admin_credentials_missing: 'keycloak_admin_secret_missing',
      keycloak_verification_failed: 'verification_mismatch',
      keycloak_unavailable: 'keycloak_down',
    });
  });

  it.each([
    ['project_context_required_despite_header', /X-Project-ID was sent/, /propagation/],
    ['membership_missing', /[Mm]embership/, /project_memberships/],
    ['keycloak_config_missing', /422 keycloak_not_configured/, /Helm values/],
    ['verification_mismatch', /red rows/, /realm mappers/],
    ['session_role_fallback', /Auditor view/, /role=tenant_admin/],
    ['error_code_changed', /error code onramp does not know/, /contract/],
  ])('%s: symptom %s, action %s', (code, symptom, action) => {
    const c = classify(code);
    expect(c.known).toBe(true);
    expect(c.symptom).toMatch(symptom);
    expect(c.action).toMatch(action);
  });

  it.each([
    ['invalid_request', 'project_context_missing'],
    ['membership_denied', 'membership_missing'],
    ['ownership_denied', 'membership_missing'],
    ['keycloak_unavailable', 'keycloak_down'],
    ['keycloak_verification_failed', 'verification_mismatch'],
    ['identity_provider_failure', 'keycloak_bootstrap_failed'],
  ])("classifies the platform's %s as %s, saying what it was reported as", (platform, code) => {
    expect(classify(platform)).toMatchObject({ code, known: true, reported_as: platform });
    expect(classifyReported(platform)).toMatchObject({ code, known: true, reported_as: platform });
  });

  it('an unknown code falls back to the fast triage, marked unknown', () => {
    expect(classify('no_such_code')).toMatchObject({ code: 'no_such_code', known: false, symptom: 'Unclassified failure' });
  });

  it("a code the user saw on the platform's side is never a run-level row: the platform's internal_error is not onramp's", () => {
    expect(classify('internal_error')).toMatchObject({ code: 'internal_error', known: true, owner: TEAMS.onramp });
    expect(classifyReported('internal_error')).toMatchObject({ code: 'internal_error', known: false, symptom: 'Unclassified failure' });
    expect(classifyReported('membership_missing')).toMatchObject({ code: 'membership_missing', known: true });
  });
});

describe('the types keep codes within the catalogue', () => {
  // These lines are checked by `npm run typecheck`; at run time they only show what was built.
  it('a StepFailure, a check, an HTTP expectation and a run error take catalogue codes only', () => {
    // @ts-expect-error: no row is named no_such_code
    const unknown = new StepFailure('no_such_code', 'a code without a row');
    // @ts-expect-error: a run-level code is a run's, never a step's
    const runLevel = new StepFailure('interrupted', 'a run-level code');
    const journey = defineJourney({
      id: 'j',
      title: 'a journey naming an unknown code',
      steps: [
        // @ts-expect-error: failureCode 'nope' is no row
        http('s', { request: () => ({ method: 'GET', path: '/' }), expect: { status: 200, failureCode: 'nope' } }),
        // @ts-expect-error: a failure-code function answers rows only
        http('t', { request: () => ({ method: 'GET', path: '/' }), expect: { status: 200, failureCode: () => 'nope' } }),
        http('u', { request: () => ({ method: 'GET', path: '/' }), then: (_res, ctx) => {
          // @ts-expect-error: a check's code is a row's
          ctx.check('x', 1, 1, { code: 'nope' });
          // @ts-expect-error: so is a failure's
          ctx.fail('nope', 'message');
        } }),
      ],
    });
    // @ts-expect-error: a step result's code is a step's
    const step: Pick<StepResult, 'code'> = { code: 'monitor_stopping' };
    const runError: RunError = { code: 'monitor_stopping', message: 'a run-level code is what a run error carries' };
    // @ts-expect-error: a run error's code is a row's too
    const badRunError: RunError = { code: 'nope', message: 'x' };
    const fine: StepFailureCode = 'error_code_changed';
    expect([unknown.code, runLevel.code, journey.steps.length, step.code, runError.code, badRunError.code, fine]).toEqual(['no_such_code', 'interrupted', 3, 'monitor_stopping', 'monitor_stopping', 'nope', 'error_code_changed']);
  });
});

describe('the alert runbook (deploy/prometheus) and the catalogue agree', () => {
  const RUNBOOK = join(ROOT, 'deploy/prometheus/runbook.md');
  const SECTION = '## Failure codes';
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const table = (rows: [FailureCode, FailureRow][], withAliases: boolean) => [
    withAliases ? '| code | owner | symptom | action | the platform\'s codes |' : '| code | owner | symptom | action |',
    withAliases ? '| --- | --- | --- | --- | --- |' : '| --- | --- | --- | --- |',
    ...rows.map(([c, r]) => `| \`${c}\` | ${cell(r.owner)} | ${cell(r.symptom)} | ${cell(r.action)} |${withAliases ? ` ${r.aliases.map((a) => `\`${a}\``).join(', ')} |` : ''}`),
  ].join('\n');
  const expected = () => [
    SECTION,
    '',
    'Every failure code, from onramp\'s failure catalogue (`src/failures/catalog.ts`; a test keeps this',
    'section equal to it: `UPDATE_RUNBOOK=1 npx vitest run packages/onramp/test/failures` rewrites it).',
    'A step\'s code is what the `code` label of `onramp_step_failures_total` and `onramp_last_failure_info`',
    'carries; the platform\'s own error codes are never labels, they map to the row listing them. `onramp',
    'triage <correlation id>` gives the same row with the evidence for one failure.',
    '',
    '### Step failures',
    '',
    table(ROWS.filter(([, r]) => !r.runLevel), true),
    '',
    '### Run errors',
    '',
    'A whole run\'s `error.code` in results.json and the reports; never a metric label.',
    '',
    table(ROWS.filter(([, r]) => r.runLevel), false),
    '',
  ].join('\n');

  it('lists every catalogue code with its owner, symptom and action', async () => {
    const text = await readFile(RUNBOOK, 'utf8');
    const at = text.indexOf(`\n${SECTION}\n`);
    const next = at < 0 ? -1 : text.indexOf('\n## ', at + 1);
    const current = at < 0 ? '' : text.slice(at + 1, next < 0 ? undefined : next + 1);
    if (process.env.UPDATE_RUNBOOK === '1') {
      await writeFile(RUNBOOK, at < 0 ? `${text.trimEnd()}\n\n${expected()}` : `${text.slice(0, at + 1)}${expected()}${next < 0 ? '' : text.slice(next + 1)}`);
      return;
    }
    expect(current, 'deploy/prometheus/runbook.md: run with UPDATE_RUNBOOK=1 to rewrite its failure codes').toBe(expected());
  });

  it('names only catalogue codes elsewhere: the alert sections, the rules and their unit tests', async () => {
    const runbook = await readFile(RUNBOOK, 'utf8');
    const prose = runbook.slice(0, runbook.indexOf(`\n${SECTION}\n`));
    // Every snake_case name in backticks but the metrics' own.
    const named = [...prose.matchAll(/`([a-z][a-z0-9]*(?:_[a-z0-9]+)+)`/g)].map((m) => m[1]!).filter((n) => !n.startsWith('onramp_'));
    const rules = await readFile(join(ROOT, 'deploy/prometheus/rules.yml'), 'utf8');
    const matched = [...rules.matchAll(/code=~"([^"]+)"/g)].flatMap((m) => m[1]!.split('|'));
    const ruleTests = await readFile(join(ROOT, 'deploy/prometheus/rules.test.yml'), 'utf8');
    const labelled = [...ruleTests.matchAll(/\bcode="([^"]+)"/g)].map((m) => m[1]!);
    expect(named.length + matched.length + labelled.length).toBeGreaterThan(5);
    expect([...named, ...matched, ...labelled].filter((c) => !isFailureCode(c) || FAILURES[c].runLevel)).toEqual([]);
  });
});
