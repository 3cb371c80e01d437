// The monitor's status page and artifacts in a real browser (Chromium through Playwright), on the
// real CLI against the embedded sandbox with a console fault (logout_skips_end_session) that fails
// the browser journey at its second step, ticking every second beside a passing API journey. After
// five failing runs with keep_failed_runs: 2 only two run folders are left; the page shows the
// failing journey first with the runbook's symptom, owner and action, a screenshot that loads and a
// trace link that answers; a path out of the artifacts folder is refused; at 375 px nothing scrolls
// sideways. Screenshots are kept in test-results/monitor/.
import { request } from 'node:http';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test/support/chromium.ts';
import { FAILURES } from '../../src/failures/catalog.ts';
import { startCli, type RunningCli } from '../support/spawn-cli.ts';
import { validateRuns } from '../support/runs-schema.ts';

const OUT = fileURLToPath(new URL('../../test-results/monitor/', import.meta.url));
const JOURNEY = 'switch-user-login';
const CODE = 'sso_session_survived_logout';
let monitor: RunningCli;
let url: string;
let browser: Browser;
let work: string;
let failedRuns: { run_id: string }[];

type Runs = { runs: { run_id: string; steps: { name: string; code: string | null; correlation_id: string | null; artifacts?: { kind: string; url?: string }[] }[] }[] };
// Every answer is checked against contracts/runs.schema.json on the way.
const failed = async () => {
  const answer = await (await fetch(`${url}/api/runs?journey=${JOURNEY}&status=failed&limit=100`)).json();
  expect(await validateRuns(answer), 'contracts/runs.schema.json').toEqual([]);
  return (answer as Runs).runs;
};

/** GET with the path exactly as given (fetch would resolve `..` before sending). */
const rawStatus = (path: string) =>
  new Promise<number>((resolve, reject) => {
    const { hostname, port } = new URL(url);
    request({ host: hostname, port, path }, (res) => resolve(res.resume().statusCode!)).on('error', reject).end();
  });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'onramp-status-page-'));
  await writeFile(join(work, 'onramp.config.yaml'), `monitor:\n  sweeper: { enabled: false }\n  artifacts: { dir: artifacts, keep_failed_runs: 2 }\n`);
  monitor = startCli(['monitor', '--config', join(work, 'onramp.config.yaml'), '--json', '--port', '0', '--interval', '1s', '--fault', 'logout_skips_end_session', '--journey', JOURNEY, '--journey', 'idp-config-health']);
  [url, browser] = await Promise.all([monitor.firstLine.then((r) => r.url as string), launchChromium()]);
  await mkdir(OUT, { recursive: true });
  // A browser run takes 3-5 s here (the first ~10 s): five failures in about half a minute.
  const deadline = Date.now() + 90_000;
  while ((failedRuns = await failed()).length < 5) {
    if (Date.now() > deadline) throw new Error(`fewer than 5 failed ${JOURNEY} runs within 90 s (${failedRuns.length}); stderr:\n${monitor.stderr()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}, 150_000);
afterAll(async () => {
  await browser?.close();
  monitor?.child.kill('SIGTERM');
  await monitor?.exit;
  await rm(work, { recursive: true, force: true });
});

describe('monitor artifacts', () => {
  it('keeps the newest 2 of 5+ failing runs, one folder each, and says how many bytes', async () => {
    const folders = () => readdir(join(work, 'artifacts', JOURNEY)).then((f) => f.sort());
    // A run being kept has its folder for a moment before the prune: eventually two.
    await expect.poll(async () => (await folders()).length, { timeout: 5_000 }).toBe(2);
    const kept = await folders();
    const ids = (await failed()).map((r) => r.run_id);
    for (const id of kept) expect(ids.slice(0, 3)).toContain(id);
    expect(ids.slice(3).filter((id) => kept.includes(id))).toEqual([]);
    expect(await readdir(join(work, 'artifacts', JOURNEY, kept[1]!))).toEqual([`a1-02-logout-ends-sso.png`, `a1-02-logout-ends-sso.trace.zip`]);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(Number(/^onramp_artifacts_bytes (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(10_000);
  });

  it('refuses paths out of the artifacts folder', async () => {
    for (const path of ['/artifacts/../onramp.config.yaml', '/artifacts/%2e%2e/onramp.config.yaml', '/artifacts//etc/passwd']) expect(await rawStatus(path), path).toBe(400);
  });
});

describe('status page', () => {
  it('shows the failing journey first with symptom, owner, action, its id, a screenshot that loads and a trace link', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const origins = new Set<string>();
    page.on('request', (r) => origins.add(new URL(r.url()).origin));
    await page.goto(`${url}/?refresh=off`);
    const cards = page.locator('section.journey');
    expect(await cards.evaluateAll((els) => els.map((e) => [e.getAttribute('data-journey'), e.getAttribute('data-state')]))).toEqual([[JOURNEY, 'failed'], ['idp-config-health', 'passed']]);
    const card = cards.first();
    const row = FAILURES[CODE];
    expect(await card.locator('.failure .step').innerText()).toBe('log out ends the SSO session');
    expect(await card.locator('.failure .code').innerText()).toBe(CODE);
    expect(await card.locator('.symptom').innerText()).toBe(row.symptom);
    expect(await card.locator('.owner').innerText()).toBe(row.owner);
    expect(await card.locator('.action').innerText()).toBe(row.action);
    const shown = await card.locator('code.correlation-id').innerText();
    expect((await failed()).flatMap((r) => r.steps.map((s) => s.correlation_id))).toContain(shown);
    expect(await card.locator('code.logql').innerText()).toBe(`{service="gpuaas-api"} | json | correlation_id="${shown}"`);
    // The copy buttons appear once the page's script ran.
    expect(await card.locator('button.copy').first().isVisible()).toBe(true);
    expect(await card.locator('.streak').innerText()).toMatch(/^for \d+ runs, since \d+ (s|min) ago$/);
    expect(await card.locator('dd.uptime [data-window="1h"]').innerText()).toBe('1 h 0 %');
    expect(await page.locator('[data-journey="idp-config-health"] dd.uptime [data-window="24h"]').innerText()).toBe('24 h 100 %');
    expect(await card.locator('time').first().getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    const img = card.locator('a.screenshot img');
    await expect.poll(() => img.evaluate((e: HTMLImageElement) => e.complete && e.naturalWidth)).toBeGreaterThan(100);
    const linked = async (selector: string) => page.request.get(new URL((await card.locator(selector).getAttribute('href'))!, url).href);
    const shot = await linked('a.screenshot');
    expect([shot.status(), shot.headers()['content-type']]).toEqual([200, 'image/png']);
    const trace = await linked('a.trace');
    expect([trace.status(), trace.headers()['content-type']]).toEqual([200, 'application/zip']);
    // The other kept run (keep_failed_runs: 2), folded away.
    await card.locator('details.earlier summary').click();
    const earlier = await linked('details.earlier a.kept[data-kind="screenshot"] >> nth=0');
    expect([earlier.status(), earlier.headers()['content-type']]).toEqual([200, 'image/png']);
    expect(await page.locator('header .target').innerText()).toMatch(/^against the embedded sandbox: a demo platform inside this monitor, not a real one · http:\/\/127\.0\.0\.1:\d+$/);
    expect(await page.title()).toMatch(/^\(1 failing\) onramp monitor/);
    expect([...origins]).toEqual([new URL(url).origin]);
    await page.screenshot({ path: `${OUT}status-page.png`, fullPage: true });
    await page.close();
  }, 60_000);

  it('works without JavaScript: the values are there, the copy buttons are not', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url);
    expect(await page.locator('meta[http-equiv="refresh"]').getAttribute('content')).toBe('5');
    expect(await page.locator('code.correlation-id').first().innerText()).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.locator('button.copy').first().isVisible()).toBe(false);
    await context.close();
  });

  it('fits a phone: one column, no sideways scrolling, codes on one line', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await page.goto(`${url}/?refresh=off`);
    await page.locator('a.screenshot img').evaluate((e: HTMLImageElement) => e.decode());
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    const lefts = await page.locator('section.journey').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left));
    expect(new Set(lefts).size).toBe(1);
    // Whole on one line: never broken inside, and no part of it hidden.
    const code = await page.locator('.failure .code').evaluate((e) => ({ whiteSpace: getComputedStyle(e).whiteSpace, fits: e.scrollWidth <= e.clientWidth }));
    expect(code).toEqual({ whiteSpace: 'nowrap', fits: true });
    await page.screenshot({ path: `${OUT}status-page-phone.png`, fullPage: true });
    await page.close();
  }, 60_000);
});
