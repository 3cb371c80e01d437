// The status page in a real browser (Chromium through Playwright): a journey failing under a fault
// shows its state, step, code and correlation id (the same as /api/runs), the page asks nothing of
// any other origin (no CDN), refreshes itself, and fits a phone's width. Screenshots are kept in
// test-results/monitor/.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test/support/chromium.ts';
import { startCli, type RunningCli } from '../support/spawn-cli.ts';
import { validateRuns } from '../support/runs-schema.ts';

const OUT = fileURLToPath(new URL('../../test-results/monitor/', import.meta.url));
let monitor: RunningCli;
let url: string;
let browser: Browser;

beforeAll(async () => {
  monitor = startCli(['monitor', '--json', '--port', '0', '--interval', '2s', '--fault', 'signup_skips_default_project', '--journey', 'personal-signup', '--journey', 'idp-config-health']);
  [url, browser] = await Promise.all([monitor.firstLine.then((r) => r.url as string), launchChromium()]);
  await mkdir(OUT, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  monitor?.child.kill('SIGTERM');
  await monitor?.exit;
});

describe('status page', () => {
  it('shows the failing journey with its step, code and correlation id; the passing one as passed', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const origins = new Set<string>();
    page.on('request', (r) => origins.add(new URL(r.url()).origin));
    const failing = page.locator('[data-journey="personal-signup"]');
    // The page refreshes itself every 5 s; reloading just speeds the wait up.
    const deadline = Date.now() + 60_000;
    for (;;) {
      await page.goto(url);
      if ((await failing.getAttribute('data-state')) === 'failed' && (await page.locator('[data-journey="idp-config-health"]').getAttribute('data-state')) === 'passed') break;
      if (Date.now() > deadline) throw new Error(`no failed personal-signup on the page within 60 s:\n${await page.content()}`);
      await page.waitForTimeout(500);
    }
    const answer = await (await fetch(`${url}/api/runs?journey=personal-signup&status=failed&limit=1000`)).json();
    expect(await validateRuns(answer), 'contracts/runs.schema.json').toEqual([]);
    const { runs } = answer as { runs: { steps: { name: string; code: string | null; correlation_id: string | null }[] }[] };
    const shown = (await failing.locator('.correlation-id').innerText()).trim();
    const known = runs.flatMap((r) => r.steps.filter((s) => s.code).map((s) => s.correlation_id));
    expect(known).toContain(shown);
    expect(shown).toMatch(/^[0-9a-f-]{36}$/);
    expect(await failing.locator('.failure .step').innerText()).toBe('sign up');
    expect(await page.locator('header .target').innerText()).toMatch(/^against the embedded sandbox: a demo platform inside this monitor, not a real one · http:\/\/127\.0\.0\.1:\d+$/);
    expect(await failing.locator('.failure .code').innerText()).toBe('signup_missing_default_project');
    expect(await failing.locator('.state').innerText()).toMatch(/^failed/);
    expect(await failing.locator('svg.chart rect').count()).toBeGreaterThan(0);
    expect(await page.title()).toMatch(/^\(1 failing\) onramp monitor/);
    expect(await page.locator('meta[http-equiv="refresh"]').getAttribute('content')).toBe('5');
    expect([...origins]).toEqual([new URL(url).origin]);
    await page.screenshot({ path: `${OUT}status-page.png`, fullPage: true });
    await page.close();
  }, 90_000);

  it('fits a phone: one column, no sideways scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await page.goto(url);
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    const boxes = await page.locator('section.journey').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left));
    expect(new Set(boxes).size).toBe(1);
    await page.screenshot({ path: `${OUT}status-page-phone.png`, fullPage: true });
    await page.close();
  }, 60_000);
});
