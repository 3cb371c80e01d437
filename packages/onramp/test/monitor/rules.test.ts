// The alert rules: promtool accepts them, every alert has a unit test in rules.test.yml and they
// all pass, and every summary names the last failure's correlation id and links the runbook.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const PROMTOOL = process.env.ONRAMP_PROMTOOL ?? '/usr/bin/promtool';
const RULES = fileURLToPath(new URL('../../deploy/prometheus/rules.yml', import.meta.url));
const TESTS = fileURLToPath(new URL('../../deploy/prometheus/rules.test.yml', import.meta.url));
const RUNBOOK = fileURLToPath(new URL('../../deploy/prometheus/runbook.md', import.meta.url));

interface Rule {
  alert: string;
  expr: string;
  annotations: Record<string, string>;
}
const rules: Rule[] = parse(readFileSync(RULES, 'utf8')).groups.flatMap((g: { rules: Rule[] }) => g.rules);

const promtool = (...args: string[]) => {
  const res = spawnSync(PROMTOOL, args, { encoding: 'utf8' });
  return { code: res.status, out: `${res.stdout}${res.stderr}` };
};

describe('Prometheus rules', () => {
  it('pass promtool check rules', () => {
    const { code, out } = promtool('check', 'rules', RULES);
    expect(out).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(code).toBe(0);
  });

  it('pass their unit tests (promtool test rules)', () => {
    const { code, out } = promtool('test', 'rules', TESTS);
    expect(out.trim().split('\n').at(-1)?.trim()).toBe('SUCCESS');
    expect(code).toBe(0);
  });

  it('cover the issue\'s alerts, each with a firing unit test', () => {
    const tested = new Set<string>();
    for (const t of parse(readFileSync(TESTS, 'utf8')).tests) for (const a of t.alert_rule_test ?? []) if (a.exp_alerts?.length) tested.add(a.alertname);
    expect(rules.map((r) => r.alert).sort()).toEqual(['OnrampCanaryStale', 'OnrampContractViolations', 'OnrampDriftDetected', 'OnrampJourneyFailing', 'OnrampJourneyFlaky', 'OnrampSlowStep', 'OnrampSyntheticIdentitiesLeaking']);
    expect([...tested].sort()).toEqual(rules.map((r) => r.alert).sort());
  });

  it.each(rules.map((r) => [r.alert, r] as const))('%s: summary with the correlation id, runbook link to a section that exists', (alert, r) => {
    expect(r.annotations.summary).toMatch(/onramp_last_failure_info.*correlation id \{\{ \.Labels\.correlation_id \}\}/s);
    const anchor = r.annotations.runbook_url?.split('#')[1];
    expect(anchor).toBe(alert.toLowerCase());
    expect(readFileSync(RUNBOOK, 'utf8')).toContain(`## ${alert}\n`);
  });
});
