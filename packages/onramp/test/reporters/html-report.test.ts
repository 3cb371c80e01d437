// report.html opened in a real browser (Chromium through Playwright), from disk: the failing step's
// code and correlation id, the LogQL query, the evidence link, the step timeline, an inline
// screenshot of a failed browser step, a trace link, and filtering by status. The page makes no
// request to any other origin (everything is inline). Its size for a 50-journey run is printed.
import { mkdtemp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright';
import { launchChromium } from '../../../../test/support/chromium.ts';
import { HtmlReporter } from '../../src/reporters/html.ts';
import type { JourneyResult, RunResult, StepResult } from '../../src/engine/results.ts';
import { slugOf } from '../../src/engine/journey.ts';

const CID = '5c0ffee0-1234-4abc-8def-0123456789ab';
let dir: string;
let browser: Browser;

const step = (name: string, over: Partial<StepResult> = {}): StepResult => ({ id: slugOf(name), name, kind: 'http', status: 'passed', durationMs: 40, checks: [], violations: [], http: [], always: false, ...over });

/** A run of 50 journeys of 8 steps: 47 pass, one API failure, one browser failure, one flaky. */
function run(): RunResult {
  const journeys: JourneyResult[] = Array.from({ length: 50 }, (_, i) => {
    const steps = Array.from({ length: 8 }, (_, k) => step(`step ${k + 1} of journey ${i + 1}`, { durationMs: 20 + k * 35, always: k === 7 }));
    return { id: `journey-${i + 1}`, title: `Journey number ${i + 1}`, tags: ['api'], status: 'passed', durationMs: 1200, attempts: [{ attempt: 1, status: 'passed', durationMs: 1200, steps }] };
  });
  journeys[0] = {
    ...journeys[0]!,
    id: 'project-scope',
    status: 'failed',
    attempts: [{
      attempt: 1, status: 'failed', durationMs: 900,
      steps: [
        step('owner logs in', { durationMs: 120 }),
        step('owner reaches the project with X-Project-ID', { status: 'failed', durationMs: 480, code: 'project_context_required_despite_header', message: 'status (400 invalid_request) == 200 although X-Project-ID was sent', expected: '200', actual: '400 invalid_request', correlationId: CID, evidence: `evidence/${CID}/evidence.md` }),
        step('remove the synthetic users', { always: true, durationMs: 60 }),
      ],
    }],
  };
  journeys[1] = {
    ...journeys[1]!,
    id: 'console-settings',
    status: 'failed',
    attempts: [{
      attempt: 1, status: 'failed', durationMs: 3000,
      steps: [step('open settings', { kind: 'browser', durationMs: 900 }), step('token still listed after a tab switch', { kind: 'browser', status: 'failed', durationMs: 1500, code: 'enrollment_token_missing', expected: 'the token row', actual: 'missing', artifacts: [{ kind: 'screenshot', path: 'artifacts/settings.png' }, { kind: 'trace', path: 'artifacts/settings-trace.zip' }] })],
    }],
  };
  journeys[2] = { ...journeys[2]!, id: 'flaky-one', status: 'flaky', attempts: [{ ...journeys[2]!.attempts[0]!, attempt: 1, status: 'failed' }, { ...journeys[2]!.attempts[0]!, attempt: 2 }] };
  return { runId: 'mx1run', target: 'sandbox', startedAt: '2026-11-30T21:00:00.000Z', finishedAt: '2026-11-30T21:01:00.000Z', durationMs: 60_000, status: 'failed', meta: { onrampVersion: '0.1.0', targetUrls: { api: 'http://127.0.0.1:9001', idp: 'http://127.0.0.1:9000' }, faults: ['project_header_dropped'] }, journeys };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onramp-html-'));
  browser = await launchChromium();
  // A real screenshot, as the browser executor leaves one.
  const page = await browser.newPage({ viewport: { width: 320, height: 200 } });
  await page.setContent('<h1 style="color:#b3261e">Settings: no tokens</h1>');
  await mkdir(join(dir, 'artifacts'));
  await writeFile(join(dir, 'artifacts', 'settings.png'), await page.screenshot());
  await page.close();
  // The evidence sink's bundle for the API failure (the sink sets its path on the step's result).
  await mkdir(join(dir, 'evidence', CID), { recursive: true });
  await writeFile(join(dir, 'evidence', CID, 'evidence.md'), '# Incident evidence\n');
  await new HtmlReporter(dir).onRunEnd(run());
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('report.html in a real browser', () => {
  it('shows the failure, the timeline and the inline screenshot, with no request to any other origin', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(join(dir, 'report.html')).href;
    await page.goto(url);
    const failure = page.locator('#j-project-scope .failure');
    await expect(failure.locator('code.code').textContent()).resolves.toBe('project_context_required_despite_header');
    await expect(failure.locator('code.cid').textContent()).resolves.toBe(CID);
    await expect(failure.locator('.symptom').textContent()).resolves.toContain('400 invalid_request project-context-required although X-Project-ID was sent');
    await expect(failure.locator('code.logql').textContent()).resolves.toBe(`{service="gpuaas-api"} | json | correlation_id="${CID}"`);
    await expect(failure.locator('a.evidence').getAttribute('href')).resolves.toBe(`evidence/${CID}/evidence.md`);
    // The timeline: one bar per step, the longest full width.
    const bars = page.locator('#j-project-scope .tl .bar');
    await expect(bars.count()).resolves.toBe(3);
    await expect(bars.nth(1).evaluate((b) => (b as HTMLElement).style.width)).resolves.toBe('100%');
    // The browser failure's screenshot is inline and decodes; the trace is a link.
    const shot = page.locator('#j-console-settings img.shot');
    await expect(shot.evaluate((img) => (img as HTMLImageElement).naturalWidth)).resolves.toBe(320);
    await expect(shot.getAttribute('src')).resolves.toMatch(/^data:image\/png;base64,/);
    await expect(page.locator('#j-console-settings a.trace').getAttribute('href')).resolves.toBe('artifacts/settings-trace.zip');
    await expect(page.locator('#summary').textContent()).resolves.toContain('50 journeys: 47 passed, 2 failed, 1 flaky');
    await expect(page.locator('.meta').textContent()).resolves.toContain('project_header_dropped');
    expect(requests.filter((r) => !r.startsWith(url) && !r.startsWith('data:'))).toEqual([]);
    await page.close();
  });

  it('filters journeys by status', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);
    const visible = () => page.locator('.journey:not(.hidden)').evaluateAll((els) => els.map((e) => e.id));
    await expect(visible()).resolves.toHaveLength(50);
    await page.click('.filters button[data-status="failed"]');
    await expect(visible()).resolves.toEqual(['j-project-scope', 'j-console-settings']);
    await page.click('.filters button[data-status="flaky"]');
    await expect(visible()).resolves.toEqual(['j-flaky-one']);
    await page.click('.filters button[data-status="all"]');
    await expect(visible()).resolves.toHaveLength(50);
    await page.close();
  });

  it('stays small for a 50-journey run', async () => {
    const { size } = await stat(join(dir, 'report.html'));
    console.log(`report.html for 50 journeys x 8 steps (one inline screenshot): ${(size / 1024).toFixed(1)} KiB`);
    expect(size).toBeLessThan(400 * 1024);
  });
});
