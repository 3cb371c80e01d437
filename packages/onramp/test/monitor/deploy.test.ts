// deploy/ validated offline: the Kubernetes manifests (base, and each overlay rendered by kustomize)
// against the API schemas (kubernetes-models), the PrometheusRule equal to rules.yml, the ConfigMap's
// config accepted by onramp's own loader, the Grafana dashboard using only metrics onramp emits with
// exemplars on its duration panels, and docker-compose.yml against the compose spec (dclint).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { loadConfig } from '../../src/config/load.ts';
import { loadJourneys, selectJourneys } from '../../src/engine/load-journeys.ts';
import { cleanupBudgetMs } from '../../src/engine/runner.ts';
import { MonitorMetrics } from '../../src/monitor/metrics.ts';
import { MANIFEST_FILE, prometheusRuleManifest } from './prometheus-rule-manifest.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// docker-compose.yml sits at the repository's root: it runs both packages' parts (Keycloak on the
// sandbox's realm file, the canary stack on onramp's deploy files).
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const K8S = join(ROOT, 'deploy/kubernetes');
const OVERLAYS = readdirSync(join(K8S, 'overlays'));

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; [k: string]: unknown };
const MODELS: Record<string, new (m: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

function validate(m: Manifest): void {
  const Model = MODELS[`${m.apiVersion}/${m.kind}`];
  if (!Model) throw new Error(`${m.kind} ${m.metadata.name}: no validator for ${m.apiVersion}/${m.kind}`);
  new Model(m as never).validate();
}

function kustomize(dir: string): Manifest[] {
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(out).map((d) => d.toJS() as Manifest);
}

const deploymentOf = (ms: Manifest[]) => ms.find((m) => m.kind === 'Deployment') as unknown as { spec: { template: { spec: { containers: { args: string[]; resources: { requests: Record<string, string>; limits: Record<string, string> } }[] } } } };

describe('Kubernetes manifests', () => {
  it.each(['base', ...OVERLAYS.map((o) => `overlays/${o}`)])('%s renders and every object validates against its API schema', (dir) => {
    const manifests = kustomize(join(K8S, dir));
    expect(manifests.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'NetworkPolicy', 'PrometheusRule', 'Secret', 'Service', 'ServiceMonitor']);
    for (const m of manifests) validate(m);
  });

  it('rejects a broken manifest (the validators do check)', () => {
    const [deployment] = kustomize(join(K8S, 'base')).filter((m) => m.kind === 'Deployment');
    const broken = structuredClone(deployment!) as Manifest & { spec: { replicas: unknown } };
    broken.spec.replicas = 'two';
    expect(() => validate(broken)).toThrow(/replicas/);
  });

  it.each(OVERLAYS)('overlay %s runs its own location: the flag and a label on every object', (location) => {
    const manifests = kustomize(join(K8S, 'overlays', location));
    const args = deploymentOf(manifests).spec.template.spec.containers[0]!.args;
    expect(args.slice(args.indexOf('--location'), args.indexOf('--location') + 2)).toEqual(['--location', location]);
    for (const m of manifests) expect(m.metadata.labels?.['onramp.dev/location'], `${m.kind} ${m.metadata.name}`).toBe(location);
  });

  it('the PrometheusRule carries rules.yml unchanged (regenerate: npx tsx test/monitor/prometheus-rule-manifest.ts)', () => {
    expect(readFileSync(MANIFEST_FILE, 'utf8')).toBe(prometheusRuleManifest());
  });

  it('the ConfigMap\'s config loads with onramp\'s loader, secrets from the Secret\'s keys', async () => {
    const secret = parse(readFileSync(join(K8S, 'base/secret.yaml'), 'utf8')) as { stringData: Record<string, string> };
    const config = await loadConfig(join(K8S, 'base/onramp.config.yaml'), secret.stringData);
    expect(config.monitor).toMatchObject({ schedule: '1m', concurrency: 4, browserConcurrency: 1, graceMs: 30_000 });
    expect(config.monitor?.databaseUrl?.reveal()).toBe(secret.stringData.ONRAMP_MONITOR_DATABASE_URL);
  });

  it.each(['base', ...OVERLAYS.map((o) => `overlays/${o}`)])('%s mounts a volume at monitor.artifacts.dir whose size limit holds max_bytes', async (dir) => {
    const secret = parse(readFileSync(join(K8S, 'base/secret.yaml'), 'utf8')) as { stringData: Record<string, string> };
    const { artifacts } = (await loadConfig(join(K8S, 'base/onramp.config.yaml'), secret.stringData)).monitor!;
    type Pod = { containers: { volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[] }[]; volumes: { name: string; emptyDir?: { sizeLimit?: string } }[] };
    const pod = (kustomize(join(K8S, dir)).find((m) => m.kind === 'Deployment') as unknown as { spec: { template: { spec: Pod } } }).spec.template.spec;
    const mount = pod.containers[0]!.volumeMounts.find((m) => m.mountPath === artifacts?.dir);
    expect(mount, `a volume mounted at ${artifacts?.dir}`).toMatchObject({ name: 'artifacts' });
    expect(mount!.readOnly).not.toBe(true);
    const limit = pod.volumes.find((v) => v.name === mount!.name)?.emptyDir?.sizeLimit;
    const bytes = Number(/^(\d+)Mi$/.exec(limit ?? '')?.[1]) * 1024 * 1024;
    // max_bytes, plus room for runs moved in before the prune, but not so much that the bound means little.
    expect(bytes).toBeGreaterThanOrEqual(artifacts!.maxBytes! + 16 * 1024 * 1024);
    expect(bytes).toBeLessThanOrEqual(artifacts!.maxBytes! * 1.5);
  });

  it('requests and limits fit the measured memory (bench/monitor.bench.ts) and the shutdown grace', async () => {
    const manifests = kustomize(join(K8S, 'base'));
    const { resources } = deploymentOf(manifests).spec.template.spec.containers[0]!;
    const mib = (q: string) => Number(/^(\d+)Mi$/.exec(q)?.[1]);
    expect(mib(resources.requests.memory!)).toBeGreaterThanOrEqual(256);
    expect(mib(resources.limits.memory!)).toBeGreaterThanOrEqual(2 * mib(resources.requests.memory!));
    const pod = (manifests.find((m) => m.kind === 'Deployment') as unknown as { spec: { template: { spec: { terminationGracePeriodSeconds: number } } } }).spec.template.spec;
    // The config's grace plus the cleanup budget of the journeys it monitors (derived from their
    // cleanup steps' timeouts, as the monitor does on SIGTERM) must fit before the kubelet's SIGKILL.
    const secret = parse(readFileSync(join(K8S, 'base/secret.yaml'), 'utf8')) as { stringData: Record<string, string> };
    const config = await loadConfig(join(K8S, 'base/onramp.config.yaml'), secret.stringData);
    const monitored = selectJourneys(await loadJourneys(config.journeys), { tags: config.journeys.tags }).selected.filter((j) => config.monitor?.journeys[j.id]?.enabled !== false);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual((config.monitor!.graceMs! + cleanupBudgetMs(monitored)) / 1000);
  });
});

describe('Grafana dashboard', () => {
  const dashboard = JSON.parse(readFileSync(join(ROOT, 'deploy/grafana/onramp-dashboard.json'), 'utf8')) as { panels: { title: string; targets: { expr: string; exemplar?: boolean }[] }[]; templating: { list: { query?: { query: string } }[] } };
  const all = new MonitorMetrics();
  const emitted = new Set([...all.registry.getMetricsAsArray(), ...all.processRegistry.getMetricsAsArray()].flatMap((m) => {
    const { name, type } = m as unknown as { name: string; type: string };
    return type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : type === 'counter' ? [name, name.endsWith('_total') ? name : `${name}_total`] : [name];
  }));
  const exprs = [...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)), ...dashboard.templating.list.flatMap((v) => (v.query?.query ? [v.query.query] : []))];

  it('uses only metrics onramp emits', () => {
    const used = new Set(exprs.flatMap((e) => e.match(/\b[a-z_]+_[a-z_]+\b/g) ?? []).filter((n) => n.startsWith('onramp_')));
    expect([...used].filter((n) => !emitted.has(n))).toEqual([]);
    expect(used.size).toBeGreaterThan(8);
  });

  it('shows exemplars on every duration panel', () => {
    const duration = dashboard.panels.filter((p) => p.targets.some((t) => /_duration_seconds_bucket/.test(t.expr)));
    expect(duration.map((p) => p.title)).toEqual(expect.arrayContaining([expect.stringMatching(/^Journey duration/), expect.stringMatching(/^Step duration/)]));
    for (const p of duration) expect(p.targets.every((t) => t.exemplar === true), p.title).toBe(true);
  });
});

describe('docker-compose.yml', () => {
  const dclint = (file: string) => spawnSync(process.execPath, [join(REPO, 'node_modules/dclint/bin/dclint.cjs'), '-f', 'json', file], { encoding: 'utf8' });

  it('passes the compose-spec linter with no error or warning', () => {
    const res = dclint(join(REPO, 'docker-compose.yml'));
    expect(JSON.parse(res.stdout)[0]).toMatchObject({ errorCount: 0, warningCount: 0 });
    expect(res.status).toBe(0);
  });

  it('the linter rejects a file that breaks the compose spec', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'onramp-compose-'));
    try {
      await writeFile(join(dir, 'docker-compose.yml'), 'name: x\nservices:\n  a:\n    image: busybox:1\n    restart_policy: always\n');
      const res = dclint(join(dir, 'docker-compose.yml'));
      expect(res.status).not.toBe(0);
      expect(res.stdout).toMatch(/ComposeValidationError: instancePath=\\"\/services\/a\\".*must NOT have additional properties/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs the canary stack next to Keycloak, with every mounted file present and valid', () => {
    const compose = parse(readFileSync(join(REPO, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { volumes?: string[]; command?: string[] }> };
    expect(Object.keys(compose.services).sort()).toEqual(['alertmanager', 'keycloak', 'keycloak-db', 'monitor', 'prometheus']);
    expect(compose.services.prometheus!.command).toContain('--enable-feature=exemplar-storage');
    const mounts = Object.values(compose.services).flatMap((s) => (s.volumes ?? []).filter((v) => v.startsWith('./')).map((v) => v.split(':')[0]!));
    for (const m of mounts) expect(existsSync(join(REPO, m)), m).toBe(true);
    const prom = spawnSync('promtool', ['check', 'config', '--syntax-only', join(ROOT, 'deploy/prometheus/prometheus.yml')], { encoding: 'utf8' });
    expect(prom.status, prom.stdout + prom.stderr).toBe(0);
    const am = spawnSync('amtool', ['check-config', join(ROOT, 'deploy/alertmanager/alertmanager.yml')], { encoding: 'utf8' });
    expect(am.status, am.stdout + am.stderr).toBe(0);
  });
});
