// The exact metrics text after a scripted set of runs (golden files, in both expositions), and the
// rules the text must keep: bounded labels, one last-failure series per journey, exemplars with the
// correlation id, and a plain text that promtool accepts.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MonitorMetrics } from '../../src/monitor/metrics.ts';
import { metricsSink } from '../../src/monitor/metrics-sink.ts';
import { SCRIPT, feed, journey, step } from './scripted-runs.ts';
import { isStepFailureCode } from '../../src/failures/catalog.ts';

const GOLDEN = (name: string) => new URL(`./golden/${name}`, import.meta.url);
const PROMTOOL = process.env.ONRAMP_PROMTOOL ?? '/usr/bin/promtool';

// Fixed, so the golden text does not change with each release or Node.js version.
const BUILD = { version: '1.2.3', node: 'v24.0.0', journeys_hash: '0123456789ab' };
const TARGET = { target: 'staging', api_url: 'https://api.staging.example.test', sandbox: 'false' } as const;

async function scripted(location?: string): Promise<MonitorMetrics> {
  const metrics = new MonitorMetrics({ location, processMetrics: false });
  metrics.describe(BUILD, TARGET);
  // enrollment-tokens is scheduled and has not run yet.
  metrics.scheduled(['personal-signup', 'tenant-admin-bootstrap', 'project-scope', 'identity-drift', 'enrollment-tokens']);
  for (const [runId, j] of SCRIPT) await feed(metricsSink(metrics), runId, j);
  return metrics;
}

/**
 * Compares with the golden file. Only UPDATE_GOLDEN=1 writes one (review the diff before
 * committing): a missing golden file fails, so a lost file can never pass by rewriting itself.
 */
function matchGolden(name: string, text: string) {
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN(name), text);
  if (!existsSync(GOLDEN(name))) throw new Error(`golden file ${fileURLToPath(GOLDEN(name))} is missing: run with UPDATE_GOLDEN=1 to write it, then review it`);
  expect(text).toBe(readFileSync(GOLDEN(name), 'utf8'));
}

beforeEach(() => {
  // Exemplar and last-run timestamps come from the clock: pin it so the text is byte-for-byte stable.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-01-02T03:04:05.000Z'));
});
afterEach(() => vi.useRealTimers());

describe('metrics after a scripted set of runs', () => {
  // Visible as skipped while goldens are being rewritten: then a missing file is written, by design.
  it.skipIf(process.env.UPDATE_GOLDEN === '1')('fails when its golden file is missing, naming the file and UPDATE_GOLDEN=1', () => {
    expect(() => matchGolden('no-such-golden.prom', 'x')).toThrow(/golden file .*no-such-golden\.prom is missing: run with UPDATE_GOLDEN=1/);
    expect(existsSync(GOLDEN('no-such-golden.prom'))).toBe(false);
  });

  it('plain text format matches the golden file', async () => {
    const { contentType, body } = await (await scripted('eu-west')).expose('text/plain');
    expect(contentType).toMatch(/^text\/plain; version=0.0.4/);
    matchGolden('metrics.prom', body);
  });

  it('OpenMetrics, with exemplars, matches the golden file when the scraper asks for it', async () => {
    const { contentType, body } = await (await scripted('eu-west')).expose('application/openmetrics-text; version=1.0.0,text/plain;q=0.5');
    expect(contentType).toMatch(/^application\/openmetrics-text/);
    matchGolden('metrics.openmetrics', body);
    expect(body).toContain('onramp_step_failures_total{journey="personal-signup",step="sign-up",code="signup_failed",location="eu-west"} 1 # {run_id="run-2",correlation_id="c0ffee00-0000-4000-8000-000000000002"} 1');
    expect(body.trimEnd().endsWith('# EOF')).toBe(true);
    expect(body).toContain('onramp_step_skipped_total{journey="personal-signup",step="user-logs-in",reason="earlier_failure",location="eu-west"} 1');
  });

  it('says which onramp runs against which target, and has onramp_journey_up for every scheduled journey: NaN until its first run', async () => {
    const { body } = await (await scripted()).expose(undefined);
    expect(body).toContain('onramp_build_info{version="1.2.3",node="v24.0.0",journeys_hash="0123456789ab"} 1');
    expect(body).toContain('onramp_target_info{target="staging",api_url="https://api.staging.example.test",sandbox="false"} 1');
    const up = body.split('\n').filter((l) => l.startsWith('onramp_journey_up{'));
    // prom-client writes NaN as `Nan`; Prometheus parses either spelling (Go's ParseFloat ignores case).
    expect(up).toEqual([
      'onramp_journey_up{journey="personal-signup"} 1',
      'onramp_journey_up{journey="tenant-admin-bootstrap"} 0',
      'onramp_journey_up{journey="project-scope"} 1',
      'onramp_journey_up{journey="identity-drift"} Nan',
      'onramp_journey_up{journey="enrollment-tokens"} Nan',
    ]);
  });

  it('keeps one last-failure series per journey, replaced on failure and removed on recovery', async () => {
    const { body } = await (await scripted()).expose(undefined);
    const lines = body.split('\n').filter((l) => l.startsWith('onramp_last_failure_info{'));
    expect(lines).toEqual(['onramp_last_failure_info{journey="tenant-admin-bootstrap",step="bootstrap",code="contract_violation",correlation_id="c0ffee00-0000-4000-8000-000000000005"} 1']);
  });

  it('never puts a correlation id or run id in a label other than the last-failure series', async () => {
    const { body } = await (await scripted()).expose('application/openmetrics-text');
    const series = body.split('\n').filter((l) => l && !l.startsWith('#') && !l.startsWith('onramp_last_failure_info'));
    for (const line of series) expect(line.split(' # ')[0]).not.toMatch(/c0ffee00|run-\d/);
  });

  it('bounds the code label by the failure catalogue: a failed step without a code gets its status\'s generic row', async () => {
    const metrics = await scripted();
    await feed(metricsSink(metrics), 'run-9', journey('enrollment-tokens', 'error', [step('create a token', 10, { status: 'error' }), step('list tokens', 10, { status: 'failed' })]));
    const { body } = await metrics.expose(undefined);
    const codes = [...body.matchAll(/[{,]code="([^"]*)"/g)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThan(3);
    expect(codes.filter((c) => !isStepFailureCode(c))).toEqual([]);
    expect(body).toContain('onramp_step_failures_total{journey="enrollment-tokens",step="create-a-token",code="step_error"} 1');
    expect(body).toContain('onramp_step_failures_total{journey="enrollment-tokens",step="list-tokens",code="check_failed"} 1');
  });

  it('promtool check metrics accepts the plain text', async () => {
    const { body } = await (await scripted('eu-west')).expose(undefined);
    const res = spawnSync(PROMTOOL, ['check', 'metrics'], { input: body, encoding: 'utf8' });
    expect(`${res.stdout}${res.stderr}`.trim()).toBe('');
    expect(res.status).toBe(0);
  });

  it('promtool check metrics accepts the text with process metrics too', async () => {
    vi.useRealTimers();
    const metrics = new MonitorMetrics({ location: 'eu-west' });
    for (const [runId, j] of SCRIPT) await feed(metricsSink(metrics), runId, j);
    const { body } = await metrics.expose(undefined);
    expect(body).toContain('onramp_process_resident_memory_bytes');
    const out = execFileSync(PROMTOOL, ['check', 'metrics'], { input: body, encoding: 'utf8' });
    expect(out.trim()).toBe('');
  });
});

describe('the exposition cache', () => {
  it('renders again after any write, and ends OpenMetrics with one # EOF after the process metrics', async () => {
    vi.useRealTimers();
    const metrics = new MonitorMetrics();
    for (const [runId, j] of SCRIPT) await feed(metricsSink(metrics), runId, j);
    const before = (await metrics.expose(undefined)).body;
    expect((await metrics.expose(undefined)).body.split('onramp_process')[0]).toBe(before.split('onramp_process')[0]);
    metrics.skippedTicks.inc({ journey: 'personal-signup' });
    expect((await metrics.expose(undefined)).body).toContain('onramp_scheduler_skipped_ticks_total{journey="personal-signup"} 1');
    metrics.clearLastFailure('tenant-admin-bootstrap');
    const open = (await metrics.expose('application/openmetrics-text')).body;
    expect(open).not.toContain('onramp_last_failure_info{');
    expect(open.match(/# EOF/g)).toHaveLength(1);
    expect(open.endsWith('# EOF\n')).toBe(true);
    expect(open).toContain('onramp_process_resident_memory_bytes');
  });
});
