// The fault table through the CLI, as a user reproducing a symptom runs it: `onramp run --fault
// NAME` on the embedded default (PGlite, db steps through the sandbox's own connection) exits 1
// and names the symptom's own code, in the named step, with the correlation id, and cleanup still
// ran. It writes the evidence bundle per failed step, in <output>/evidence/<correlation_id>/, whose
// classification is the runbook's symptom of that fault; the DB snapshot shows the rows the fault
// removes or soft-deletes; the log excerpt holds the platform's own line for the id; and no bundle
// or report file holds a secret.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { runCli } from '../support/spawn-cli.ts';
import { FAULT_TABLE } from '../support/fault-table.ts';
import { FAULTS } from '../../../sandbox/src/faults/catalog.ts';
import { FAILURES } from '../../src/failures/catalog.ts';
import type { Evidence, ScopeSnapshot } from '../../src/triage/evidence.ts';
import { scanForSecrets } from '../triage/secret-scan.ts';

interface ReportStep { name: string; kind: string; status: string; always: boolean; code: string | null; correlation_id: string | null; message: string | null; evidence?: string; artifacts?: { kind: string; path: string }[] }
interface ReportJourney { id: string; status: string; steps: ReportStep[] }

/** What the DB snapshot must show for the faults that remove or soft-delete rows. */
const DB_SHOWS: Record<string, { what: string; holds: (s: ScopeSnapshot) => boolean }> = {
  signup_skips_default_project: { what: 'no active default-project membership, no project membership row', holds: (s) => s.project_memberships.length === 0 && !s.default_projects.some((d) => d.active_member) },
  signup_skips_posix_identity: { what: 'no user_posix_identities row', holds: (s) => s.posix_identity === null && s.project_memberships.some((m) => m.active) },
  admin_user_missing_project_membership: { what: 'an active tenant membership, and the default project without the user', holds: (s) => s.tenant_memberships.some((m) => m.active) && s.default_projects.some((d) => !d.active_member) },
  authz_counts_deleted_memberships: { what: 'a soft-deleted project membership', holds: (s) => s.project_memberships.some((m) => !m.active && m.deleted_at !== null) },
};

let dir: string;
let validate: ReturnType<Ajv2020['compile']>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onramp-evidence-'));
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  validate = ajv.compile(JSON.parse(await readFile(new URL('../../contracts/evidence.schema.json', import.meta.url), 'utf8')));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('onramp run --fault NAME on the embedded sandbox: the symptom named, with its evidence bundle', () => {
  it('the table covers every fault of the sandbox exactly once', () => {
    expect(FAULT_TABLE.map((r) => r.fault).sort()).toEqual(FAULTS.map((f) => f.name).sort());
  });

  for (const row of FAULT_TABLE) {
    const journeys = [...new Set(row.catches.map((c) => c.journey))];
    const fault = FAULTS.find((f) => f.name === row.fault)!;
    it(`${row.fault}: ${fault.title}`, async () => {
      const out = join(dir, row.fault);
      const { code, stdout, stderr } = await runCli(['run', '--fault', row.fault, ...journeys.flatMap((j) => ['--journey', j]), '--reporter', 'console,json,html', '--output', out]);
      expect(code, `${stdout}\n${stderr}`).toBe(1);
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(stderr, 'no reporter or collector failed').not.toMatch(/reporter evidence failed/);
      const report = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as { journeys: ReportJourney[] };
      for (const c of row.catches) {
        const j = report.journeys.find((x) => x.id === c.journey)!;
        const failed = j.steps.find((s) => !s.always && (s.status === 'failed' || s.status === 'error'));
        expect({ journey: j.id, status: j.status, step: failed?.name, code: failed?.code }).toEqual({ journey: c.journey, status: 'failed', step: c.step, code: c.code });
        if (c.correlated) expect(failed!.correlation_id, `${c.journey}: correlation id of the failing step`).toMatch(/^[0-9a-f-]{36}$/);
        expect(stdout).toContain(`${c.journey} > ${c.step}`);
        // Cleanup ran and passed after the failure, or had nothing to remove.
        const cleanups = j.steps.filter((s) => s.always);
        const ok = (s: ReportStep) => s.status === 'passed' || (s.status === 'skipped' && s.message === 'its condition does not hold');
        expect(cleanups.map((s) => `${s.name}: ${ok(s) ? 'passed or skipped' : s.status}`)).toEqual(cleanups.map((s) => `${s.name}: passed or skipped`));
        const step = failed!;
        expect(step.evidence, `${c.journey} > ${c.step}: results.json links the bundle`).toBeDefined();
        expect(stdout).toContain(join(out, step.evidence!));
        const evidence = JSON.parse(await readFile(join(out, step.evidence!.replace(/evidence\.md$/, 'evidence.json')), 'utf8')) as Evidence;
        expect(validate(evidence), JSON.stringify(validate.errors)).toBe(true);
        expect(existsSync(join(out, step.evidence!))).toBe(true);
        // The runbook's symptom of this fault: its code's row, sourced from the fault's failure number.
        expect({ code: evidence.classification.code, known: evidence.classification.known, symptom: evidence.classification.symptom }).toEqual({ code: c.code, known: true, symptom: FAILURES[c.code].symptom });
        expect(evidence.classification.source).toContain(fault.symptom > 0 ? `#${fault.symptom}` : 'fast triage');
        expect(evidence.failures[0]).toMatchObject({ journey: c.journey, step: c.step, code: c.code });
        if (step.kind === 'browser') {
          // evidence.md names the signed-in user, the screenshot, the trace and the page's last platform correlation id.
          const shot = step.artifacts?.find((a) => a.kind === 'screenshot')?.path ?? null;
          const trace = step.artifacts?.find((a) => a.kind === 'trace')?.path ?? null;
          const signingIn = c.step === 'system admin signs in through the console';
          expect({ shot: !!shot, trace: !!trace, signedIn: !!evidence.browser?.signed_in_as }).toEqual({ shot: true, trace: true, signedIn: !signingIn });
          expect(evidence.browser).toMatchObject({ screenshot: shot, trace, last_correlation_id: step.correlation_id });
          // The HTML report shows the screenshot inline, not only a link to it.
          const html = await readFile(join(out, 'report.html'), 'utf8');
          expect(html).toMatch(new RegExp(`<img class="shot" alt="screenshot of ${c.step.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" src="data:image/png;base64,[A-Za-z0-9+/]{1000}`));
          const bundleMd = await readFile(join(out, step.evidence!), 'utf8');
          for (const named of [shot!, trace!, ...(evidence.browser!.signed_in_as ? [evidence.browser!.signed_in_as] : []), ...(step.correlation_id ? [step.correlation_id] : [])]) expect(bundleMd).toContain(named);
        }
        if (c.correlated) {
          expect(evidence.correlation_id).toBe(step.correlation_id);
          expect(evidence.logs.query).toBe(`{service="gpuaas-api"} | json | correlation_id="${step.correlation_id}"`);
          const lines = evidence.logs.lines.available ? evidence.logs.lines.lines : [];
          expect(lines.map((l) => `${l.service} ${l.correlation_id}`), `log excerpt (${evidence.logs.lines.available ? 'available' : evidence.logs.lines.reason})`).toContain(`gpuaas-api ${step.correlation_id}`);
        }
        const shows = DB_SHOWS[row.fault];
        if (shows) {
          expect(evidence.db.available, evidence.db.available ? '' : evidence.db.reason).toBe(true);
          expect({ user: evidence.user.id !== null, shows: evidence.db.available && shows.holds(evidence.db) }, `${shows.what}: ${JSON.stringify(evidence.db)}`).toEqual({ user: true, shows: true });
        }
      }
      const md = await readFile(join(out, report.journeys.flatMap((j) => j.steps).find((s) => s.evidence)!.evidence!), "utf8");
      expect(md.indexOf('## Symptom')).toBeLessThan(md.indexOf('## Fast triage'));
      expect(md.indexOf('## Fast triage')).toBeLessThan(md.indexOf('## Required incident evidence'));
      expect(await scanForSecrets(out, { only: /^(evidence\/|report\.html|results\.json|junit\.xml)/ })).toEqual([]);
    }, 120_000);
  }

  it('--no-evidence writes no bundle and links none', async () => {
    const out = join(dir, 'no-evidence');
    const { code } = await runCli(['run', '--fault', 'signup_skips_posix_identity', '--journey', 'personal-signup', '--no-evidence', '--reporter', 'json', '--output', out]);
    expect(code).toBe(1);
    expect(existsSync(join(out, 'evidence'))).toBe(false);
    expect(await readFile(join(out, 'results.json'), 'utf8')).not.toContain('"evidence"');
  }, 120_000);
});
