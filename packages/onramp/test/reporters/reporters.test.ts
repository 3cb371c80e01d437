// The three reporters on one run with every status: JSON against its schema, JUnit against the
// JUnit XML schema (xmllint), the console summary's failure lines, and the fan-out's isolation.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Writable } from 'node:stream';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { RunResult, StepResult } from '../../src/engine/results.ts';
import { toReport } from '../../src/reporters/json.ts';
import { toJUnitXml } from '../../src/reporters/junit.ts';
import { ConsoleReporter } from '../../src/reporters/console.ts';
import { fanOut, type Reporter } from '../../src/engine/reporter.ts';
import { createReporters } from '../../src/reporters/index.ts';
import { fileURLToPath } from 'node:url';
import { slugOf } from '../../src/engine/journey.ts';

const step = (name: string, over: Partial<StepResult> = {}): StepResult => ({
  id: slugOf(name), name, kind: 'http', status: 'passed', durationMs: 12, always: false, checks: [], violations: [],
  http: [{ method: 'GET', url: 'http://api/x', status: 200, requestId: 'r1.j.1', traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`, timings: { headersMs: 5, totalMs: 6 } }],
  ...over,
});

const failed = step('session is complete', {
  status: 'failed', code: 'session_partial', message: 'tenant_id (missing) == "t-1"', expected: 't-1', actual: undefined, correlationId: 'corr-123',
  violations: [{ instancePath: '/tenant_id', schemaPath: '#/required', message: '/tenant_id: expected required property "tenant_id", actual missing', expected: 'required property "tenant_id"', actual: 'missing' }],
});

const RUN: RunResult = {
  runId: 'run1', target: 'sandbox', startedAt: '2026-11-22T06:00:00.000Z', finishedAt: '2026-11-22T06:00:05.000Z', durationMs: 5000, status: 'failed',
  journeys: [
    { id: 'ok', title: 'passes', tags: ['api'], status: 'passed', durationMs: 100, attempts: [{ attempt: 1, status: 'passed', durationMs: 100, steps: [step('a'), step('b', { always: true })] }] },
    { id: 'bad', title: 'fails', tags: [], status: 'failed', durationMs: 200, attempts: [{ attempt: 1, status: 'failed', durationMs: 200, steps: [step('signup'), failed, step('later', { status: 'skipped', message: 'an earlier step failed', http: [] })] }] },
    { id: 'flaky', title: 'retried', tags: [], status: 'flaky', durationMs: 300, attempts: [
      { attempt: 1, status: 'failed', durationMs: 100, steps: [step('x', { status: 'failed', code: 'unexpected_status', expected: '200', actual: '500 internal_error' })] },
      { attempt: 2, status: 'passed', durationMs: 100, steps: [step('x')] },
    ] },
    { id: 'broken', title: 'errors', tags: [], status: 'error', durationMs: 10, attempts: [{ attempt: 1, status: 'error', durationMs: 10, steps: [step('boom', { status: 'error', code: 'step_error', message: 'TypeError: x is undefined', http: [] })] }] },
    { id: 'prod', title: 'refused', tags: [], status: 'skipped', durationMs: 0, attempts: [], reason: 'refused: target "prod" is marked production' },
  ],
};

describe('reporters', () => {
  it('json: results.json matches contracts/report.schema.json and keeps code, expected, actual and correlation id', async () => {
    const ajv = new Ajv2020({ allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(await readFile(fileURLToPath(new URL('../../contracts/report.schema.json', import.meta.url)), 'utf8')));
    const report = toReport(RUN);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.summary).toEqual({ total: 5, passed: 1, failed: 1, flaky: 1, error: 1, skipped: 1, interrupted: 0, steps: { total: 7, passed: 4, failed: 1, error: 1, skipped: 1 } });
    expect(report.journeys[1]!.steps[1]).toMatchObject({ status: 'failed', code: 'session_partial', correlation_id: 'corr-123', expected: 't-1', actual: null });
    expect(report.journeys[2]!.attempts.map((a) => a.status)).toEqual(['failed', 'passed']);
  });

  it('json: the schema rejects a report with a status outside the five', async () => {
    const ajv = new Ajv2020({ allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(await readFile(fileURLToPath(new URL('../../contracts/report.schema.json', import.meta.url)), 'utf8')));
    const report = toReport(RUN) as any;
    report.journeys[0].status = 'green';
    expect(validate(report)).toBe(false);
  });

  it('junit: valid against the JUnit XML schema, one suite per journey, one case per step, failures with code and correlation id', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'onramp-junit-'));
    const xml = toJUnitXml(RUN);
    await writeFile(join(dir, 'junit.xml'), xml);
    const { stderr } = await promisify(execFile)('xmllint', ['--noout', '--schema', fileURLToPath(new URL('../fixtures/junit.xsd', import.meta.url)), join(dir, 'junit.xml')]);
    expect(stderr).toContain('validates');
    expect((xml.match(/<testsuite /g) ?? []).length).toBe(5);
    expect(xml).toMatch(/<failure message="\[session_partial\] tenant_id \(missing\) == &quot;t-1&quot; \(correlation_id corr-123\)" type="session_partial">/);
    expect(xml).toContain('correlation_id: corr-123');
    expect(xml).toMatch(/<error message="\[step_error\]/);
    expect(xml).toMatch(/<skipped message="refused: target &quot;prod&quot; is marked production"/);
  });

  it('console: a summary that lists each failure with step, code, expected, actual and correlation id', () => {
    let out = '';
    const reporter = new ConsoleReporter(new Writable({ write: (c, _e, cb) => ((out += c), cb()) }));
    reporter.onRunEnd(RUN);
    expect(out).toContain('5 journeys: 1 passed, 1 failed, 1 flaky, 1 error, 1 skipped');
    expect(out).toContain('bad > session is complete');
    expect(out).toMatch(/code:\s+session_partial/);
    expect(out).toMatch(/expected:\s+t-1/);
    expect(out).toMatch(/actual:\s+missing/);
    expect(out).toMatch(/correlation_id: corr-123/);
    expect(out).toContain('contract:       /tenant_id: expected required property "tenant_id", actual missing');
  });

  it('console: a skipped step is shown with its reason, and the summary counts steps by status', () => {
    let out = '';
    const reporter = new ConsoleReporter(new Writable({ write: (c, _e, cb) => ((out += c), cb()) }));
    reporter.onStepEnd('j', { ...step('bootstrap rows exist'), kind: 'db', status: 'skipped', durationMs: 0, message: 'the target names no database' });
    reporter.onRunEnd(RUN);
    expect(out).toContain('skip bootstrap rows exist  0 ms  (skipped: the target names no database)');
    expect(out).toContain('7 steps: 4 passed, 1 failed, 1 error, 1 skipped');
  });

  it('console: concurrent journeys keep their lines together, the first one live', () => {
    let out = '';
    const r = new ConsoleReporter(new Writable({ write: (c, _e, cb) => ((out += c), cb()) }));
    r.onJourneyStart({ id: 'a', title: 'A' }, 1);
    r.onJourneyStart({ id: 'b', title: 'B' }, 1);
    r.onStepEnd('b', step('b1'));
    r.onStepEnd('a', step('a1'));
    r.onJourneyStart({ id: 'c', title: 'C' }, 1);
    r.onStepEnd('c', step('c1'));
    r.onJourneyEnd({ id: 'c', title: 'C', tags: [], status: 'passed', durationMs: 1, attempts: [{ attempt: 1, status: 'passed', durationMs: 1, steps: [] }] });
    r.onStepEnd('a', step('a2'));
    r.onJourneyEnd({ id: 'a', title: 'A', tags: [], status: 'passed', durationMs: 1, attempts: [{ attempt: 1, status: 'passed', durationMs: 1, steps: [] }] });
    r.onStepEnd('b', step('b2'));
    r.onJourneyEnd({ id: 'b', title: 'B', tags: [], status: 'passed', durationMs: 1, attempts: [{ attempt: 1, status: 'passed', durationMs: 1, steps: [] }] });
    const order = out.split('\n').filter((l) => /^(\w| {2}ok| {2}=>)/.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '));
    // b started before c, so b goes live once a is done; c's finished block follows b.
    expect(order).toEqual(['a: A', 'ok a1', 'ok a2', '=> passed', 'b: B', 'ok b1', 'ok b2', '=> passed', 'c: C', 'ok c1', '=> passed']);
  });

  it('fan-out: a reporter that throws is reported and the others still run', async () => {
    const seen: string[] = [];
    const errors: string[] = [];
    const bad: Reporter = { name: 'bad', onRunEnd: () => { throw new Error('disk full'); } };
    const good: Reporter = { name: 'good', onRunEnd: () => void seen.push('good') };
    await fanOut([bad, good], (r, hook, err) => errors.push(`${r}.${hook}: ${(err as Error).message}`)).onRunEnd(RUN);
    expect(seen).toEqual(['good']);
    expect(errors).toEqual(['bad.onRunEnd: disk full']);
  });

  it('names unknown reporters', () => {
    expect(createReporters(['console', 'html2', 'json', 'tap'], '/tmp/x').unknown).toEqual(['html2', 'tap']);
  });
});
