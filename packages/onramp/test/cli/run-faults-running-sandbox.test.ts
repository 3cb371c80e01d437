// The fault table on the running-sandbox path, as an engineer reproducing an incident runs it:
// `onramp sandbox --write-config sandbox.yaml` in one shell, `onramp run --config sandbox.yaml
// --target local --fault NAME` in another (the fault switched on through the control token for the
// run, off again after). For every fault of the sandbox: exit 1, the fault's code in the named step
// of every journey that must catch it, and an id to search logs with on every failed step: the
// platform's correlation id, or, where the failure is no platform answer (the IdP's, the IdP's pages
// in the browser), the X-Request-ID onramp sent, marked as onramp's. Once the faults are off every
// journey of the table passes again, and nothing is left behind by any of the runs (the sweeper's
// own dry run lists no synthetic user). The sandbox is left as found.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { request } from 'undici';
import { runCli } from '../support/spawn-cli.ts';
import { useExternalSandbox } from '../support/external-sandbox.ts';
import { FAULT_TABLE } from '../support/fault-table.ts';
import { FAULTS } from '../../../sandbox/src/faults/catalog.ts';

interface ReportStep { name: string; status: string; always: boolean; code: string | null; correlation_id: string | null; request_id?: { id: string; sent_by: string } }
interface ReportJourney { id: string; status: string; steps: ReportStep[] }

const env = useExternalSandbox({ written: true });

async function activeFaults(): Promise<string[]> {
  const { ready } = env.sandbox;
  const res = await request(`${ready.platform}/__sandbox/faults`, { method: 'POST', headers: { authorization: `Bearer ${ready.controlToken}`, 'content-type': 'application/json' }, body: '{}' });
  expect(res.statusCode).toBe(200);
  return ((await res.body.json()) as { active: string[] }).active;
}

/** The id a failed step is searched by in the logs: the platform's correlation id, else onramp's own X-Request-ID. */
const idOf = (s: ReportStep) => s.correlation_id ?? (s.request_id?.sent_by === 'onramp' ? `X-Request-ID ${s.request_id.id}` : null);

describe('onramp run --config FILE --target local --fault NAME against a running sandbox', () => {
  it('the table covers every fault of the sandbox exactly once', () => {
    expect(FAULT_TABLE.map((r) => r.fault).sort()).toEqual(FAULTS.map((f) => f.name).sort());
  });

  for (const row of FAULT_TABLE) {
    const journeys = [...new Set(row.catches.map((c) => c.journey))];
    it(`${row.fault}: exit 1, ${[...new Set(row.catches.map((c) => c.code))].join(', ')}, an id on every failed step`, async () => {
      const out = join(env.dir, `run-${row.fault}`);
      const run = await runCli(['run', '--config', env.sandbox.config, '--target', 'local', '--fault', row.fault, ...journeys.flatMap((j) => ['--journey', j]), '--reporter', 'json', '--output', out], env.sandbox.env, { timeoutMs: 150_000 });
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(1);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      const report = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as { run: { faults: string[] }; journeys: ReportJourney[] };
      expect(report.run.faults).toContain(row.fault);
      for (const c of row.catches) {
        const j = report.journeys.find((x) => x.id === c.journey)!;
        const failed = j.steps.find((s) => !s.always && (s.status === 'failed' || s.status === 'error'));
        expect({ journey: j.id, status: j.status, step: failed?.name, code: failed?.code }).toEqual({ journey: c.journey, status: 'failed', step: c.step, code: c.code });
        if (c.correlated) expect(failed!.correlation_id, `${c.journey}: the platform's correlation id`).toMatch(/^[0-9a-f-]{36}$/);
      }
      // Every failed step, caught or not, cleanup too: an id to search the logs with.
      const failedSteps = report.journeys.flatMap((j) => j.steps.filter((s) => s.status === 'failed' || s.status === 'error').map((s) => ({ at: `${j.id} > ${s.name} [${s.code}]`, id: idOf(s) })));
      expect(failedSteps.filter((s) => !s.id).map((s) => s.at), 'failed steps without an id').toEqual([]);
      // The fault was on for the run only.
      expect(await activeFaults()).toEqual([]);
    }, 180_000);
  }

  it('passes every journey of the table again once the faults are off', async () => {
    const journeys = [...new Set(FAULT_TABLE.flatMap((r) => r.catches.map((c) => c.journey)))];
    const run = await runCli(['run', '--config', env.sandbox.config, '--target', 'local', ...journeys.flatMap((j) => ['--journey', j]), '--reporter', 'console'], env.sandbox.env, { timeoutMs: 150_000 });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    // Every run of the table cleaned up after itself (one sweep for all: a sweep costs seconds).
    expect(await leftovers()).toEqual({ platformUsers: [], keycloakUsers: [] });
  }, 180_000);
});

/** What the sweeper would remove now, whatever its age: the synthetic users a run left behind. */
async function leftovers(): Promise<{ platformUsers: unknown[]; keycloakUsers: unknown[] }> {
  const r = await runCli(['sweep', '--config', env.sandbox.config, '--target', 'local', '--ttl', '0s', '--dry-run', '--json'], env.sandbox.env, { timeoutMs: 30_000 });
  expect(r.code, r.stderr).toBe(0);
  const plan = JSON.parse(r.stdout) as { platformUsers: unknown[]; keycloakUsers: unknown[] };
  return { platformUsers: plan.platformUsers, keycloakUsers: plan.keycloakUsers };
}
