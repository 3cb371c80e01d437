// The PrometheusRule manifest is rules.yml wrapped for the Prometheus Operator: one source of truth,
// and a test (deploy.test.ts) that fails when the two differ. `npx tsx test/monitor/prometheus-rule-manifest.ts`
// rewrites the manifest from rules.yml.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

export const RULES_FILE = fileURLToPath(new URL('../../deploy/prometheus/rules.yml', import.meta.url));
export const MANIFEST_FILE = fileURLToPath(new URL('../../deploy/kubernetes/base/prometheusrule.yaml', import.meta.url));

export function prometheusRuleManifest(): string {
  const rules = parse(readFileSync(RULES_FILE, 'utf8'));
  const manifest = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'onramp-monitor' }, spec: { groups: rules.groups } };
  return `# Generated from deploy/prometheus/rules.yml by test/monitor/prometheus-rule-manifest.ts: edit rules.yml.\n${stringify(manifest, { lineWidth: 0 })}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeFileSync(MANIFEST_FILE, prometheusRuleManifest());
