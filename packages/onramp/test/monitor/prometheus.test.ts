// End to end on real parts: `onramp monitor` on the embedded sandbox, scraped by a real Prometheus
// (exemplar storage on) with onramp's rules, and a real Alertmanager. A fault is switched on; the
// monitor notices within one interval plus the journey's duration (measured and printed), Prometheus
// returns the failing step's correlation id as an exemplar and onramp_journey_up 0, and the alert
// reaches Alertmanager with the correlation id in its summary.
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli, type RunningCli } from '../support/spawn-cli.ts';
import { startAlertmanager, startPrometheus, type Service } from './prom-stack.ts';

const RULES = fileURLToPath(new URL('../../deploy/prometheus/rules.yml', import.meta.url));
const INTERVAL_S = 5;
const JOURNEY = 'personal-signup';
// The step by title (for people: /api/runs' name) and by id (the metrics' step label, so the alert's).
const FAULT = { name: 'signup_skips_default_project', step: 'sign up', stepId: 'sign-up', code: 'signup_missing_default_project' };

interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
}, 60_000);

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function promQuery(prom: Service, query: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(query)}`);
  return ((await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result;
}

/** onramp_journey_up for the journey straight from the monitor's own /metrics. */
async function upAtMonitor(url: string): Promise<string | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return new RegExp(`^onramp_journey_up\\{journey="${JOURNEY}"\\} (\\d)$`, 'm').exec(text)?.[1];
}

describe('onramp monitor under a real Prometheus and Alertmanager', () => {
  it('turns a switched-on fault into journey_up 0, a correlation-id exemplar and an alert carrying the id', async () => {
    // The webhook Alertmanager delivers to.
    const alerts: Alert[] = [];
    const hook: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        alerts.push(...(JSON.parse(body) as { alerts: Alert[] }).alerts);
        res.end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => hook.close(r)));
    const hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/alerts`;

    const monitor: RunningCli = startCli(['monitor', '--json', '--port', '0', '--interval', `${INTERVAL_S}s`, '--journey', JOURNEY]);
    cleanups.push(async () => {
      if (monitor.child.exitCode === null) {
        monitor.child.kill('SIGKILL');
        await monitor.exit;
      }
    });
    const ready = (await monitor.firstLine) as { event: string; url: string; platform: string; controlToken: string };
    expect(ready.event).toBe('ready');

    const am = await startAlertmanager(hookUrl);
    cleanups.push(() => am.stop());
    const prom = await startPrometheus({ targets: [new URL(ready.url).host], ruleFiles: [RULES], alertmanager: new URL(am.url).host });
    cleanups.push(() => prom.stop());

    // Healthy first: a passed run, scraped.
    await until('a passing run scraped by Prometheus', async () => ((await promQuery(prom, `onramp_journey_up{journey="${JOURNEY}"}`))[0]?.value[1] === '1' ? true : undefined), 60_000, 250);

    const switchedAt = Date.now();
    const switched = await fetch(`${ready.platform}/__sandbox/faults`, { method: 'POST', headers: { authorization: `Bearer ${ready.controlToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ on: [FAULT.name] }) });
    expect(switched.status).toBe(200);

    await until('journey_up 0 at the monitor', async () => ((await upAtMonitor(ready.url)) === '0' ? true : undefined), 60_000, 50);
    const detectedMs = Date.now() - switchedAt;
    const failed = await until('the failed run in /api/runs', async () => {
      const { runs } = (await (await fetch(`${ready.url}/api/runs?journey=${JOURNEY}&status=failed`)).json()) as { runs: { run_id: string; duration_ms: number; steps: { id: string; name: string; code: string | null; correlation_id: string | null }[] }[] };
      return runs.at(-1);
    }, 10_000);
    const failedStep = failed.steps.find((s) => s.code === FAULT.code)!;
    expect([failedStep.id, failedStep.name]).toEqual([FAULT.stepId, FAULT.step]);
    expect(failedStep.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
    const budgetMs = INTERVAL_S * 1000 + failed.duration_ms;
    console.log(`detection latency: ${detectedMs} ms from switching ${FAULT.name} on until onramp_journey_up{journey="${JOURNEY}"} was 0 at the monitor (budget: interval ${INTERVAL_S * 1000} ms + journey ${failed.duration_ms} ms = ${budgetMs} ms)`);
    // 250 ms of slack: the poll of /metrics (50 ms) and a loaded machine's timer lateness.
    expect(detectedMs).toBeLessThanOrEqual(budgetMs + 250);

    // Prometheus: the journey is down, and the failing step's correlation id is an exemplar.
    await until('journey_up 0 in Prometheus', async () => ((await promQuery(prom, `onramp_journey_up{journey="${JOURNEY}"}`))[0]?.value[1] === '0' ? true : undefined), 20_000, 250);
    const exemplars = await until('the failing step\'s exemplar in Prometheus', async () => {
      const now = Date.now() / 1000;
      const q = `onramp_step_failures_total{journey="${JOURNEY}",code="${FAULT.code}"}`;
      const res = (await (await fetch(`${prom.url}/api/v1/query_exemplars?query=${encodeURIComponent(q)}&start=${now - 300}&end=${now}`)).json()) as { data: { seriesLabels: Record<string, string>; exemplars: { labels: Record<string, string> }[] }[] };
      const ids = res.data.flatMap((s) => s.exemplars.map((e) => e.labels.correlation_id));
      return ids.includes(failedStep.correlation_id!) ? ids : undefined;
    }, 20_000, 250);
    expect(exemplars).toContain(failedStep.correlation_id);

    // The alert reaches Alertmanager with a failed run's correlation id in its summary.
    const alert = await until('OnrampJourneyFailing at Alertmanager', async () => alerts.find((a) => a.labels.alertname === 'OnrampJourneyFailing' && a.labels.journey === JOURNEY), 60_000, 250);
    const { runs } = (await (await fetch(`${ready.url}/api/runs?journey=${JOURNEY}&status=failed`)).json()) as { runs: { steps: { correlation_id: string | null; code: string | null }[] }[] };
    const failedIds = runs.flatMap((r) => r.steps.filter((s) => s.code === FAULT.code).map((s) => s.correlation_id));
    const idInSummary = /correlation id ([0-9a-f-]{36})/.exec(alert.annotations.summary ?? '')?.[1];
    expect(failedIds).toContain(idInSummary);
    expect(alert.annotations.summary).toContain(`step "${FAULT.stepId}", code ${FAULT.code}`);
    console.log(`alert at Alertmanager: ${alert.annotations.summary}`);

    monitor.child.kill('SIGTERM');
    expect(await monitor.exit).toBe(143);
  }, 240_000);
});
