// junit.xml: one testsuite per journey, one testcase per step; a failed step's failure carries the
// code, expected/actual and correlation id, in the shape Jenkins, GitLab and GitHub Actions read.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { create } from 'xmlbuilder2';
import type { RunResult } from '../engine/results.ts';
import { show } from '../engine/failure.ts';
import type { Reporter } from '../engine/reporter.ts';

export function toJUnitXml(run: RunResult): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', {
    name: `onramp ${run.target}`,
    tests: String(run.journeys.reduce((n, j) => n + (j.attempts.at(-1)?.steps.length ?? 1), 0)),
    failures: String(run.journeys.reduce((n, j) => n + (j.attempts.at(-1)?.steps.filter((s) => s.status === 'failed').length ?? 0), 0)),
    errors: String(run.journeys.reduce((n, j) => n + (j.attempts.at(-1)?.steps.filter((s) => s.status === 'error').length ?? 0), 0) + (run.error ? 1 : 0)),
    time: seconds(run.durationMs),
  });
  // A run that failed as a whole (target did not start, died mid-run) is one errored testcase, so CI
  // shows why there are fewer journeys than expected.
  if (run.error) {
    const suite = root.ele('testsuite', { name: 'onramp', id: String(run.journeys.length), package: 'onramp', hostname: run.target, timestamp: run.startedAt.replace(/\.\d+Z$/, ''), tests: '1', failures: '0', errors: '1', skipped: '0', time: seconds(run.durationMs) });
    suite.ele('testcase', { name: 'run', classname: 'onramp', time: seconds(run.durationMs) }).ele('error', { message: `[${run.error.code}] ${run.error.message}`, type: run.error.code }).txt(run.error.message);
    suite.ele('system-out').txt('');
    suite.ele('system-err').txt('');
  }
  run.journeys.forEach((j, index) => {
    const steps = j.attempts.at(-1)?.steps ?? [];
    const suite = root.ele('testsuite', {
      name: j.id,
      id: String(index),
      package: 'onramp',
      hostname: run.target,
      timestamp: run.startedAt.replace(/\.\d+Z$/, ''),
      tests: String(Math.max(steps.length, 1)),
      failures: String(steps.filter((s) => s.status === 'failed').length),
      errors: String(steps.filter((s) => s.status === 'error').length),
      skipped: String(j.status === 'skipped' ? 1 : steps.filter((s) => s.status === 'skipped').length),
      time: seconds(j.durationMs),
    });
    const props = suite.ele('properties');
    props.ele('property', { name: 'title', value: j.title });
    props.ele('property', { name: 'status', value: j.status });
    props.ele('property', { name: 'attempts', value: String(j.attempts.length) });
    if (j.status === 'skipped' && !steps.length) {
      suite.ele('testcase', { name: j.title, classname: j.id, time: '0' }).ele('skipped', { message: j.reason ?? 'skipped' });
    }
    for (const s of steps) {
      // The step id, not its title, names the case: CI keeps a test's history by name, and a reworded
      // title must not start a new one. The title is in the failure's detail.
      const tc = suite.ele('testcase', { name: s.id, classname: j.id, time: seconds(s.durationMs) });
      const detail = [
        `step: ${s.name}`,
        `code: ${s.code ?? ''}`,
        `expected: ${show(s.expected)}`,
        `actual: ${show(s.actual)}`,
        `correlation_id: ${s.correlationId ?? 'none'}`,
        ...(s.requestId ? [`request_id: ${s.requestId.id} (X-Request-ID sent by ${s.requestId.sentBy})`] : []),
        ...s.violations.map((v) => `contract: ${v.message}`),
      ].join('\n');
      if (s.status === 'failed') tc.ele('failure', { message: `[${s.code}] ${s.message ?? ''} (correlation_id ${s.correlationId ?? 'none'}${s.requestId ? `; request_id ${s.requestId.id} sent by ${s.requestId.sentBy}` : ''})`, type: s.code ?? 'failure' }).txt(detail);
      else if (s.status === 'error') tc.ele('error', { message: `[${s.code}] ${s.message ?? ''}`, type: s.code ?? 'error' }).txt(detail);
      else if (s.status === 'skipped') tc.ele('skipped', { message: s.message ?? 'skipped' });
      // Jenkins' and GitLab's attachment convention: one [[ATTACHMENT|path]] line per file.
      const out = [...(j.status === 'flaky' && s.status === 'passed' && j.attempts.length > 1 ? [`flaky: passed on attempt ${j.attempts.length}`] : []), ...(s.flaky ? [`flaky: [${s.flaky.code}] ${s.flaky.message}`] : []), ...(s.artifacts ?? []).map((a) => `[[ATTACHMENT|${a.path}]]`)];
      if (out.length) tc.ele('system-out').txt(out.join('\n'));
    }
    suite.ele('system-out').txt('');
    suite.ele('system-err').txt('');
  });
  return root.end({ prettyPrint: true });
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

export class JUnitReporter implements Reporter {
  readonly name = 'junit';
  constructor(private readonly outputDir: string) {}
  async onRunEnd(run: RunResult) {
    await mkdir(this.outputDir, { recursive: true });
    await writeFile(join(this.outputDir, 'junit.xml'), toJUnitXml(run));
  }
}
