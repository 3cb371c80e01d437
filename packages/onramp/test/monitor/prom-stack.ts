// Real Prometheus and Alertmanager (Debian's packages) for integration tests: each on a free port
// with its own temporary storage, stopped (by its own pid) and removed afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '../../../../test/support/postgres.ts';

export interface Service {
  url: string;
  stop(): Promise<void>;
  log(): string;
}

async function startService(bin: string, args: (dir: string, port: number) => string[], files: Record<string, string>, readyPath: string): Promise<Service> {
  const dir = await mkdtemp(join(tmpdir(), 'onramp-prom-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const port = await freePort();
  const child: ChildProcess = spawn(bin, args(dir, port), { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (d: Buffer) => (log = (log + d.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`${bin} exited ${child.exitCode}:\n${log}`);
    }
    const ok = await fetch(url + readyPath).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${bin} did not become ready:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop, log: () => log };
}

/** Prometheus scraping `targets` every second, with exemplar storage, the given rule files and Alertmanager. */
export function startPrometheus(o: { targets: string[]; ruleFiles: string[]; alertmanager?: string }): Promise<Service> {
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '1s' },
    rule_files: o.ruleFiles,
    scrape_configs: [{ job_name: 'onramp', static_configs: [{ targets: o.targets }] }],
    ...(o.alertmanager ? { alerting: { alertmanagers: [{ static_configs: [{ targets: [o.alertmanager] }] }] } } : {}),
  };
  return startService(
    'prometheus',
    (dir, port) => [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--enable-feature=exemplar-storage'],
    { 'prometheus.yml': stringify(config) },
    '/-/ready',
  );
}

/** Alertmanager sending every alert at once to a webhook. */
export function startAlertmanager(webhookUrl: string): Promise<Service> {
  const config = {
    route: { receiver: 'webhook', group_by: ['alertname', 'journey'], group_wait: '1s', group_interval: '1s', repeat_interval: '1h' },
    receivers: [{ name: 'webhook', webhook_configs: [{ url: webhookUrl, send_resolved: false }] }],
  };
  return startService(
    'prometheus-alertmanager',
    (dir, port) => [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
    { 'alertmanager.yml': stringify(config) },
    '/-/ready',
  );
}
