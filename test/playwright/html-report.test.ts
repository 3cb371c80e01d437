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

describe('npx playwright test', () => {
  it('passes every journey against the sandbox and writes an HTML report with each journey and its steps', async () => {
    dir = await mkdtemp(join(tmpdir(), 'onramp-pw-'));
    const htmlDir = join(dir, 'report');
    const run = await promisify(execFile)('npx', ['playwright', 'test', '--output', join(dir, 'results')], { env: { ...process.env, PLAYWRIGHT_HTML_OUTPUT_DIR: htmlDir, CI: '1' }, maxBuffer: 10 << 20 }).catch((err: { stdout: string; stderr: string; code: number }) => err);
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
});
