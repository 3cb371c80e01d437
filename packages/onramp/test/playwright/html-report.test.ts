// `npx playwright test` runs every journey against the embedded sandbox and writes Playwright's
// HTML report, which holds each journey as a test with each of its steps as a test.step.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadJourneys } from '../../src/engine/load-journeys.ts';
import { readZip } from '../../src/engine/browser/zip.ts';

interface ReportStep { title: string; steps?: ReportStep[] }
interface ReportTest { title: string; outcome: string; results: { steps: ReportStep[] }[] }
interface ReportFile { tests: ReportTest[] }

let dir: string | undefined;
afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

/** The report's data: a zip embedded in index.html as a base64 data URL. */
async function reportData(htmlDir: string): Promise<Map<string, unknown>> {
  const html = await readFile(join(htmlDir, 'index.html'), 'utf8');
  const b64 = /<template id="playwrightReportBase64">data:application\/zip;base64,([^<]+)<\/template>/.exec(html)?.[1];
  expect(b64, 'embedded report data').toBeDefined();
  return new Map(readZip(Buffer.from(b64!, 'base64')).map((e) => [e.name, JSON.parse(e.data.toString('utf8'))]));
}

const playwright = (args: string[], env: Record<string, string>) =>
  promisify(execFile)('npx', ['playwright', 'test', ...args], { env: { ...process.env, CI: '1', ...env }, maxBuffer: 10 << 20 }).catch((err: { stdout: string; stderr: string }) => err);

describe('npx playwright test', () => {
  it('passes every journey against the sandbox and writes an HTML report with each journey and its steps', async () => {
    dir = await mkdtemp(join(tmpdir(), 'onramp-pw-'));
    const htmlDir = join(dir, 'report');
    const run = await playwright(['--output', join(dir, 'results')], { PLAYWRIGHT_HTML_OUTPUT_DIR: htmlDir });
    expect(run.stdout, run.stderr).toMatch(/\d+ passed/);
    expect(run.stdout).not.toMatch(/failed|flaky/);

    const data = await reportData(htmlDir);
    const tests = [...data.entries()].filter(([name]) => name !== 'report.json').flatMap(([, f]) => (f as ReportFile).tests);
    const journeys = await loadJourneys();
    const shown = tests.map((t) => ({ title: t.title, outcome: t.outcome, steps: t.results[0]!.steps.map((s) => s.title).filter((s) => /^(http|idp|db|browser): /.test(s)) }));
    expect(shown.sort((a, b) => a.title.localeCompare(b.title))).toEqual(
      journeys
        .map((j) => ({ title: j.title, outcome: 'expected', steps: j.steps.map((s) => `${s.kind}: ${s.name}${s.always ? ' (cleanup)' : ''}`) }))
        .sort((a, b) => a.title.localeCompare(b.title)),
    );
  }, 600_000);

  it('reports a failed step with its code in an annotation, the journey going on to cleanup, and its trace attached for the viewer', async () => {
    dir ??= await mkdtemp(join(tmpdir(), 'onramp-pw-'));
    const htmlDir = join(dir, 'report-fault');
    const run = await playwright(['--grep', '@browser', '--output', join(dir, 'results-fault')], { PLAYWRIGHT_HTML_OUTPUT_DIR: htmlDir, ONRAMP_FAULTS: 'readonly_label' });
    expect(run.stdout, run.stderr).toMatch(/1 failed/);
    const data = await reportData(htmlDir);
    const [test] = [...data.entries()].filter(([name]) => name !== 'report.json').flatMap(([, f]) => (f as ReportFile).tests);
    const result = test!.results[0]! as ReportTest['results'][number] & { annotations?: { type: string; description: string }[]; attachments: { name: string; contentType: string }[] };
    expect(test!.outcome).toBe('unexpected');
    expect((test as unknown as { annotations: { type: string; description?: string }[] }).annotations.filter((a) => a.type === 'failure')).toEqual([
      { type: 'failure', description: 'the notice uses guardrail wording: [readonly_label] notice wording (Read-only mode) == guardrail wording, never "Read-only mode"' },
    ]);
    expect(result.attachments.filter((a) => a.name === 'trace').map((a) => a.contentType)).toEqual(['application/zip']);
    expect(result.attachments.some((a) => a.name === 'screenshot: the notice uses guardrail wording' && a.contentType === 'image/png')).toBe(true);
    // The cleanup steps still ran as steps of the test.
    expect(result.steps.map((s) => s.title).filter((t) => t.endsWith('(cleanup)'))).toEqual(['http: system admin logs in for cleanup (cleanup)', 'http: remove the tenant admin (cleanup)', 'http: remove the tenant (cleanup)']);
  }, 600_000);
});
