// `onramp triage` on the running-sandbox path, as an engineer reproducing an incident runs it:
// `onramp sandbox --write-config sandbox.yaml` (embedded database) in one shell, journeys and
// triage with that config in another. The written config is all there is: the logs come from the
// sandbox's Loki API (logs.loki_url), the DB snapshot through its read-only database route. For
// the API faults, with the fault on: the symptom is classified with no --code, the user resolved
// with no --user, the DB snapshot shows the missing or soft-deleted rows, the log excerpt holds
// the platform's line, and triage exits 1; with the fault off, --retest exits 0.
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { runCli, startCli, type RunningCli } from '../support/spawn-cli.ts';
import type { Evidence, ScopeSnapshot } from '../../src/triage/evidence.ts';
import type { StepFailureCode } from '../../src/failures/catalog.ts';
import { scanForSecrets } from '../triage/secret-scan.ts';

interface Row { fault: string; journey: string; code: StepFailureCode; db?: { what: string; holds: (s: ScopeSnapshot) => boolean } }

const ROWS: Row[] = [
  { fault: 'signup_skips_posix_identity', journey: 'personal-signup', code: 'posix_identity_missing', db: { what: 'no user_posix_identities row', holds: (s) => s.posix_identity === null } },
  { fault: 'signup_skips_default_project', journey: 'personal-signup', code: 'signup_missing_default_project', db: { what: 'no active default-project membership', holds: (s) => !s.default_projects.some((d) => d.active_member) } },
  { fault: 'admin_user_missing_project_membership', journey: 'tenant-admin-bootstrap', code: 'membership_missing', db: { what: 'the default project without the user', holds: (s) => s.tenant_memberships.some((m) => m.active) && s.default_projects.some((d) => !d.active_member) } },
  { fault: 'authz_counts_deleted_memberships', journey: 'project-scope', code: 'deleted_membership_grants_access', db: { what: 'a soft-deleted project membership', holds: (s) => s.project_memberships.some((m) => !m.active && m.deleted_at !== null) } },
  { fault: 'project_header_dropped', journey: 'project-scope', code: 'project_context_required_despite_header' },
  { fault: 'keycloak_not_configured', journey: 'idp-config-health', code: 'keycloak_config_missing' },
];

let dir: string;
let sandbox: RunningCli;
let ready: { platform: string; controlToken: string };
let config: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'onramp-triage-running-'));
  config = join(dir, 'sandbox.yaml');
  sandbox = startCli(['sandbox', '--json', '--write-config', config]);
  ready = (await sandbox.firstLine) as typeof ready;
}, 60_000);
afterAll(async () => {
  sandbox?.child.kill('SIGTERM');
  await sandbox?.exit;
  rmSync(dir, { recursive: true, force: true });
});

async function faults(change: { on?: string[]; off?: string[] }) {
  const res = await request(`${ready.platform}/__sandbox/faults`, { method: 'POST', headers: { authorization: `Bearer ${ready.controlToken}`, 'content-type': 'application/json' }, body: JSON.stringify(change) });
  expect(res.statusCode).toBe(200);
  await res.body.text();
}
const cli = (args: string[]) => runCli([...args, '--config', config, '--target', 'local'], {}, { timeoutMs: 110_000 });

describe('onramp triage on a running sandbox, through the config it writes', () => {
  for (const row of ROWS) {
    it(`${row.fault}: ${row.code} classified from the logs, with no --code and no --user; --retest passes once it is off`, async () => {
      await faults({ on: [row.fault] });
      const runOut = join(dir, `run-${row.fault}`);
      const run = await cli(['run', '--journey', row.journey, '--keep', '--reporter', 'json', '--output', runOut]);
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(1);
      const report = JSON.parse(await readFile(join(runOut, 'results.json'), 'utf8')) as { journeys: { steps: { code: string | null; correlation_id: string | null }[] }[] };
      const failed = report.journeys[0]!.steps.find((s) => s.code === row.code);
      expect(failed?.correlation_id, JSON.stringify(report.journeys[0]!.steps)).toMatch(/^[0-9a-f-]{36}$/);
      const id = failed!.correlation_id!;

      const out = join(dir, `triage-${row.fault}`);
      const t = await cli(['triage', id, '--output', out]);
      expect(t.code, `${t.stdout}\n${t.stderr}`).toBe(1);
      expect(t.stdout).not.toMatch(/(logs|db): unavailable/);
      const e = JSON.parse(await readFile(join(out, 'evidence', id, 'evidence.json'), 'utf8')) as Evidence;
      expect({ code: e.classification.code, known: e.classification.known }).toEqual({ code: row.code, known: true });
      expect(e.user.id, e.user.resolved_from).not.toBeNull();
      expect(e.user.resolved_from).not.toMatch(/--user/);
      expect(e.logs.lines.available && e.logs.lines.from).toBe(`loki ${ready.platform}`);
      const lines = e.logs.lines.available ? e.logs.lines.lines : [];
      expect(lines.map((l) => `${l.service} ${l.correlation_id}`)).toContain(`gpuaas-api ${id}`);
      expect(e.db.available, e.db.available ? '' : e.db.reason).toBe(true);
      if (row.db) expect(e.db.available && row.db.holds(e.db), `${row.db.what}: ${JSON.stringify(e.db)}`).toBe(true);

      await faults({ off: [row.fault] });
      const re = await cli(['triage', id, '--output', join(dir, `retest-${row.fault}`), '--retest', row.journey]);
      expect(re.code, `${re.stdout}\n${re.stderr}`).toBe(0);
      expect(await scanForSecrets(out, { extra: [ready.controlToken] })).toEqual([]);
    }, 240_000);
  }
});
