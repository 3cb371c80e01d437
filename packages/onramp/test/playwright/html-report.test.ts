// `npx playwright test` (in packages/onramp) runs every journey against the embedded sandbox and
// writes Playwright's reports: each journey a test located at its journey file, each of its steps
// a test.step; a failed step's error carries its failure code, expected, actual and correlation id
// with a stack at the step in the journey file; a step the runner skipped is a skipped step.
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadJourneys } from '../../src/engine/load-journeys.ts';
import { FAULT_TABLE } from '../support/fault-table.ts';
import { htmlReportData, JOURNEYS_DIR, lineOf, ONRAMP_DIR, playwright } from './run-playwright.ts';

interface Location { file: string; line: number; column: number }
interface ReportStep { title: string; skipped?: boolean; error?: string; location?: Location; steps?: ReportStep[] }
interface ReportTest { title: string; outcome: string; location: Location; annotations: { type: string; description?: string }[]; results: { steps: ReportStep[]; attachments: { name: string; contentType: string }[] }[] }
interface ReportFile { tests: ReportTest[] }

interface JsonError { message: string; stack?: string; location?: Location }
interface JsonStep { title: string; error?: JsonError; steps?: JsonStep[] }
interface JsonSpec { title: string; file: string; line: number; column: number; tests: { annotations: { type: string; description?: string }[]; results: { status: string; errors: JsonError[]; steps?: JsonStep[] }[] }[] }
interface JsonSuite { specs: JsonSpec[]; suites?: JsonSuite[] }
interface JsonReport { config: { rootDir: string }; suites: JsonSuite[]; stats: { expected: number; unexpected: number } }

let dir: string | undefined;
afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));
const tmp = async () => (dir ??= await mkdtemp(join(tmpdir(), 'onramp-pw-')));

const htmlTests = (data: Map<string, unknown>) => [...data.entries()].filter(([name]) => name !== 'report.json').flatMap(([, f]) => (f as ReportFile).tests);
const specsOf = (suites: JsonSuite[]): JsonSpec[] => suites.flatMap((s) => [...s.specs, ...specsOf(s.suites ?? [])]);
/** The title of a journey's step as a test.step. */
const stepTitle = (s: { kind: string; name: string; always?: boolean }) => `${s.kind}: ${s.name}${s.always ? ' (cleanup)' : ''}`;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('npx playwright test', () => {
  it('passes every journey against the sandbox and writes an HTML report with each journey at its file and its steps', async () => {
    const htmlDir = join(await tmp(), 'report');
    const run = await playwright(['--output', join(await tmp(), 'results')], { PLAYWRIGHT_HTML_OUTPUT_DIR: htmlDir });
    expect(run.stdout, run.stderr).toMatch(/\d+ passed/);
    expect(run.stdout).not.toMatch(/failed|flaky/);

    const tests = htmlTests(await htmlReportData(htmlDir));
    const journeys = await loadJourneys();
    // A step skipped on its condition is shown as skipped, its title with the reason.
    const shown = tests.map((t) => ({ title: t.title, outcome: t.outcome, file: t.location.file, steps: t.results[0]!.steps.map((s) => s.title.replace(/ \(skipped: [^)]*\)$/, '')).filter((s) => /^(http|idp|db|browser): /.test(s)) }));
    expect(shown.sort((a, b) => a.title.localeCompare(b.title))).toEqual(
      journeys
        .map((j) => ({ title: j.title, outcome: 'expected', file: `../../journeys/${j.id}.journey.ts`, steps: j.steps.map(stepTitle) }))
        .sort((a, b) => a.title.localeCompare(b.title)),
    );
  }, 600_000);

  it('reports a failed step with its code in an annotation, the journey going on to cleanup, and its trace attached for the viewer', async () => {
    const htmlDir = join(await tmp(), 'report-fault');
    // switch-user-login alone: it is the browser journey that names readonly_label.
    const run = await playwright(['--grep', 'Switch-user login', '--output', join(await tmp(), 'results-fault')], { PLAYWRIGHT_HTML_OUTPUT_DIR: htmlDir, ONRAMP_FAULTS: 'readonly_label' });
    expect(run.stdout, run.stderr).toMatch(/1 failed/);
    const [test] = htmlTests(await htmlReportData(htmlDir));
    const result = test!.results[0]!;
    expect(test!.outcome).toBe('unexpected');
    expect(test!.annotations.filter((a) => a.type === 'failure')).toEqual([
      { type: 'failure', description: 'the notice uses guardrail wording: [readonly_label] notice wording (Read-only mode) == guardrail wording, never "Read-only mode"' },
    ]);
    expect(result.attachments.filter((a) => a.name === 'trace').map((a) => a.contentType)).toEqual(['application/zip']);
    expect(result.attachments.some((a) => a.name === 'screenshot: the notice uses guardrail wording' && a.contentType === 'image/png')).toBe(true);
    // The cleanup steps still ran as steps of the test.
    expect(result.steps.map((s) => s.title).filter((t) => t.endsWith('(cleanup)'))).toEqual(['http: system admin logs in for cleanup (cleanup)', 'http: remove the tenant admin (cleanup)', 'http: remove the tenant (cleanup)']);
  }, 600_000);

  it('JSON report: the failed journey at its file, its failed step with code, expected, actual and correlation id at the step, later steps skipped, cleanup run', async () => {
    const caught = FAULT_TABLE.find((r) => r.fault === 'project_header_dropped')!.catches.find((c) => c.journey === 'project-scope')!;
    const out = await tmp();
    const jsonFile = join(out, 'scope.json');
    const htmlDir = join(out, 'report-scope');
    const run = await playwright(['--grep', caught.journey, '--reporter', 'json,html', '--output', join(out, 'results-scope')], {
      ONRAMP_FAULTS: 'project_header_dropped',
      PLAYWRIGHT_JSON_OUTPUT_NAME: jsonFile,
      PLAYWRIGHT_HTML_OUTPUT_DIR: htmlDir,
    });
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(await readFile(jsonFile, 'utf8')) as JsonReport;
    expect(report.stats).toMatchObject({ expected: 0, unexpected: 1 });
    const [spec, ...more] = specsOf(report.suites);
    expect(more).toEqual([]);

    // The test is where the journey is defined.
    const journeyFile = join(JOURNEYS_DIR, `${caught.journey}.journey.ts`);
    const defined = await lineOf(journeyFile, /\bdefineJourney\(/);
    expect({ file: resolve(report.config.rootDir, spec!.file), line: spec!.line, column: spec!.column }).toEqual({ file: journeyFile, line: defined.line, column: defined.column });

    // The failed step: its failure as the console prints it, its stack at the step in the journey file.
    const result = spec!.tests[0]!.results[0]!;
    expect(result.status).toBe('failed');
    const steps = result.steps ?? [];
    const failed = steps.filter((s) => s.error);
    expect(failed.map((s) => s.title)).toEqual([`http: ${caught.step}`]);
    const error = failed[0]!.error!;
    expect(error.message).toContain(`[${caught.code}]`);
    expect(error.message).toMatch(new RegExp(`\\n +code: +${caught.code}\\n`));
    expect(error.message).toMatch(/\n +expected: +200\n/);
    expect(error.message).toMatch(/\n +actual: +400 invalid_request\n/);
    expect(error.message).toMatch(/\n +correlation_id: +[0-9a-f-]{16,}/);
    const stepAt = await lineOf(journeyFile, new RegExp(`'${escape(caught.step)}'`));
    expect(error.location).toEqual({ file: journeyFile, line: stepAt.line, column: stepAt.start });
    const frames = error.stack!.split('\n').filter((l) => /^\s+at /.test(l));
    expect(frames).toEqual([`    at ${caught.journey} (${journeyFile}:${stepAt.line}:${stepAt.start})`]);
    // No frame of the adapter (its expect or test.step calls) nor of Playwright's.
    expect(error.stack).not.toMatch(/src\/integrations|node_modules|toBe\(/);
    // The test fails with that failure, nothing else (the JSON reporter adds the journey's lines to its text).
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.message.startsWith(error.message)).toBe(true);
    expect(result.errors[0]!.message).toContain(`> ${stepAt.line} |`);
    expect(result.errors[0]!.location).toEqual(error.location);

    // After the hard failure the runner skips the later steps but for cleanup: skipped, not passed.
    const journey = (await loadJourneys()).find((j) => j.id === caught.journey)!;
    const after = journey.steps.slice(journey.steps.findIndex((s) => s.name === caught.step) + 1);
    const skipped = after.filter((s) => !s.always);
    const cleanup = after.filter((s) => s.always);
    expect(skipped.length).toBeGreaterThan(0);
    expect(cleanup.length).toBeGreaterThan(0);
    expect(steps.map((s) => s.title)).toEqual(journey.steps.map(stepTitle));
    expect(spec!.tests[0]!.annotations.filter((a) => a.type === 'skipped step').map((a) => a.description)).toEqual(skipped.map((s) => `${s.name}: an earlier step failed`));
    // The HTML report of the same run marks them skipped (the JSON reporter has no field for it).
    const [test] = htmlTests(await htmlReportData(htmlDir));
    const shown = test!.results[0]!.steps.filter((s) => /^(http|idp|db|browser): /.test(s.title));
    expect(shown.filter((s) => s.skipped).map((s) => s.title)).toEqual(skipped.map((s) => `${stepTitle(s)} (skipped: an earlier step failed)`));
    expect(shown.filter((s) => !s.skipped && !s.error).map((s) => s.title)).toEqual(journey.steps.filter((s) => s.name !== caught.step && !skipped.includes(s)).map(stepTitle));
    expect(test!.location.file).toBe(`../../journeys/${caught.journey}.journey.ts`);
  }, 600_000);

  it("a user's journey (the config's journeys.dir): at its file; several failed steps fail the test once, each at its step", async () => {
    // A user's project: a "type": "module" folder with onramp installed (here: linked) and a config.
    const project = join(await tmp(), 'project');
    await mkdir(join(project, 'journeys'), { recursive: true });
    await mkdir(join(project, 'node_modules'));
    await symlink(ONRAMP_DIR, join(project, 'node_modules', 'onramp'));
    await writeFile(join(project, 'package.json'), '{ "type": "module" }\n');
    await writeFile(join(project, 'onramp.config.yaml'), 'journeys:\n  dir: ./journeys\n  builtin: false\n');
    const journeyFile = join(project, 'journeys', 'soft-checks.journey.js');
    const healthz = (status: number) => `request: () => ({ method: 'GET', path: '/healthz' }), expect: { status: ${status}, contract: false }`;
    await writeFile(
      journeyFile,
      [
        "// Soft checks record and go on; a hard one stops all but cleanup.",
        "import { cleanup, defineJourney, http } from 'onramp';",
        '',
        'export default defineJourney({',
        "  id: 'soft-checks',",
        "  title: 'Soft checks, a hard one, cleanup',",
        '  steps: [',
        `    http('first soft check', { soft: true, ${healthz(299)} }),`,
        `    http('second soft check', { soft: true, ${healthz(298)} }),`,
        `    http('hard check', { ${healthz(297)} }),`,
        `    http('never runs', { ${healthz(200)} }),`,
        `    cleanup(http('cleans up', { ${healthz(200)} })),`,
        '  ],',
        '});',
        '',
      ].join('\n'),
    );
    const jsonFile = join(project, 'report.json');
    const htmlDir = join(project, 'report');
    const run = await playwright(['--reporter', 'json,html', '--output', join(project, 'results')], { ONRAMP_CONFIG: join(project, 'onramp.config.yaml'), PLAYWRIGHT_JSON_OUTPUT_NAME: jsonFile, PLAYWRIGHT_HTML_OUTPUT_DIR: htmlDir });
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(await readFile(jsonFile, 'utf8')) as JsonReport;
    const [spec, ...more] = specsOf(report.suites);
    expect(more).toEqual([]);
    const defined = await lineOf(journeyFile, /\bdefineJourney\(/);
    expect({ file: resolve(report.config.rootDir, spec!.file), line: spec!.line, column: spec!.column }).toEqual({ file: journeyFile, line: defined.line, column: defined.column });

    const result = spec!.tests[0]!.results[0]!;
    const failed = ['first soft check', 'second soft check', 'hard check'];
    const at = await Promise.all(failed.map((name) => lineOf(journeyFile, new RegExp(`'${escape(name)}'`))));
    expect((result.steps ?? []).filter((s) => s.error).map((s) => [s.title, s.error!.location])).toEqual(failed.map((name, i) => [`http: ${name}`, { file: journeyFile, line: at[i]!.line, column: at[i]!.start }]));
    // One test error naming every failed step, its stack a frame per step.
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors;
    expect(error!.message).toMatch(/^StepFailure: 3 steps failed:/);
    for (const [i, name] of failed.entries()) {
      expect(error!.message).toContain(`${name}: [unexpected_status]`);
      expect(error!.message).toMatch(new RegExp(`expected: +${299 - i}\\n +actual: +200\\n`));
    }
    expect(error!.location).toEqual({ file: journeyFile, line: at[0]!.line, column: at[0]!.start });

    const [test] = htmlTests(await htmlReportData(htmlDir));
    expect(test!.results[0]!.steps.filter((s) => /^http: /.test(s.title)).map((s) => [s.title, !!s.skipped, !!s.error])).toEqual([
      ['http: first soft check', false, true],
      ['http: second soft check', false, true],
      ['http: hard check', false, true],
      ['http: never runs (skipped: an earlier step failed)', true, false],
      ['http: cleans up (cleanup)', false, false],
    ]);
  }, 600_000);
});
