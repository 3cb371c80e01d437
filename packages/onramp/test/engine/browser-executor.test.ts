// The browser executor against a small real page server: one warm browser for many journey
// attempts, a fresh context for each, a crashed browser launched again, a browser per attempt when
// asked (per-check runners), failed requests and console errors with their correlation ids, a
// selector override from the target, and how a browser is found.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJourneys } from '../../src/engine/runner.ts';
import { browser, defineJourney } from '../../src/engine/journey.ts';
import { createBrowserExecutor, type BrowserExecutor } from '../../src/engine/executors/browser.ts';
import { findBrowser, SYSTEM_CHROMIUM, SYSTEM_HEADLESS_SHELL } from '../../src/engine/browser/find-browser.ts';
import { targetAt } from '../support/targets.ts';
import { IDP_ANSWER_BUDGET_MS, IDP_PROBE_BUDGET_MS } from '../../src/engine/idp-latency.ts';
import type { Target } from '../../src/engine/target.ts';

const PAGE = `<!doctype html><title>t</title><link rel="icon" href="data:,">
<div data-testid="error-banner" data-code="boom" data-correlation-id="env-corr-1" hidden>boom: it broke</div>
<p id="hello">hello</p>
<script>
  fetch('/api/broken').then((r) => { if (location.hash === '#banner') document.querySelector('[data-testid=error-banner]').hidden = false; });
  console.error('something went wrong');
</script>`;

let server: Server;
let url: string;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onramp-browser-exec-'));
  server = createServer((req, res) => {
    if (req.url === '/api/broken') {
      res.writeHead(500, { 'content-type': 'application/json', 'x-correlation-id': 'hdr-corr-1' });
      return res.end('{"code":"internal","message":"broken"}');
    }
    if (req.url?.startsWith('/realms/')) {
      // An IdP 20 s late on everything, its discovery document too: the answer never matters here.
      const timer = setTimeout(() => res.end('<!doctype html><title>login</title>'), 20_000);
      req.socket.once('close', () => clearTimeout(timer));
      return;
    }
    if (req.url === '/api/envelope-only') {
      res.writeHead(502, { 'content-type': 'application/json' });
      return res.end('{"code":"bad_gateway","correlation_id":"body-corr-1"}');
    }
    res.writeHead(200, { 'content-type': 'text/html', 'set-cookie': 'seen=1; Path=/' });
    res.end(PAGE);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

const target = (over: Partial<Target> = {}): Target => targetAt(url, { name: 'pages', consoleUrl: url, ...over });

/** A journey of one browser step; `seen` gets the cookies the fresh context starts with. */
const visit = (seen: string[][] = [], hash = '') =>
  defineJourney({
    id: 'visit',
    title: 'visit',
    steps: [
      browser('open the page', {
        run: async (b) => {
          seen.push((await b.context.cookies()).map((c) => c.name));
          await b.page.goto(`${b.consoleUrl}/${hash}`);
          await b.console('error_banner').or(b.page.locator('#hello')).first().waitFor({ state: 'attached' });
          await b.page.waitForLoadState('networkidle');
        },
      }),
    ],
  });

const run = (exec: BrowserExecutor, journeys = [visit()], t = target()) => runJourneys({ journeys, target: t, executors: [exec] });

describe('browser executor', () => {
  it('keeps one browser warm across journey attempts, each in a fresh context', async () => {
    const exec = createBrowserExecutor({ outputDir: dir });
    try {
      const seen: string[][] = [];
      for (let i = 0; i < 3; i++) expect((await run(exec, [visit(seen)])).status).toBe('passed');
      expect(exec.warm.launches).toBe(1);
      // The page sets a cookie every time; a fresh context never starts with the last one's.
      expect(seen).toEqual([[], [], []]);
      expect(exec.setupMs).toHaveLength(3);
    } finally {
      await exec.close();
    }
  }, 60_000);

  it('launches again after the browser crashed', async () => {
    const exec = createBrowserExecutor({ outputDir: dir });
    try {
      expect((await run(exec)).status).toBe('passed');
      const b = await exec.warm.get();
      // Chromium's own process list names its browser process: killing it is a crash.
      const { processInfo } = await (await b.newBrowserCDPSession()).send('SystemInfo.getProcessInfo');
      for (const p of processInfo.filter((x) => x.type === 'browser')) process.kill(p.id, 'SIGKILL');
      await expect.poll(() => b.isConnected()).toBe(false);
      expect((await run(exec)).status).toBe('passed');
      expect(exec.warm.launches).toBe(2);
    } finally {
      await exec.close();
    }
  }, 60_000);

  it('launches a browser per attempt when asked, as per-check runners do', async () => {
    const exec = createBrowserExecutor({ outputDir: dir, launch: 'per-attempt' });
    try {
      for (let i = 0; i < 2; i++) expect((await run(exec)).status).toBe('passed');
      expect(exec.warm.launches).toBe(2);
    } finally {
      await exec.close();
    }
  }, 60_000);

  it('records failed requests and console errors with the correlation id each carries', async () => {
    const exec = createBrowserExecutor({ outputDir: dir });
    try {
      const result = await run(exec, [visit([], '#banner')]);
      const step = result.journeys[0]!.attempts[0]!.steps[0]!;
      expect(step.browser!.failedRequests).toEqual([{ method: 'GET', url: `${url}/api/broken`, status: 500, correlationId: 'hdr-corr-1' }]);
      expect(step.browser!.consoleErrors).toEqual([
        { text: `something went wrong (${url}/)`, source: 'console' },
        { text: `Failed to load resource: the server responded with a status of 500 (Internal Server Error) (${url}/api/broken)`, source: 'console', correlationId: 'hdr-corr-1' },
        { text: 'error shown: boom: it broke', source: 'envelope', correlationId: 'env-corr-1' },
      ]);
      expect(step.correlationId).toBe('hdr-corr-1');
      // A passed step keeps no artifacts unless traces are on for every step.
      expect(step.artifacts).toBeUndefined();
    } finally {
      await exec.close();
    }
  }, 60_000);

  it('a step on a slow IdP page fails keycloak_slow and keeps the page as the user saw it, without waiting for the IdP (its navigation is stopped)', async () => {
    const exec = createBrowserExecutor({ outputDir: dir });
    const journey = defineJourney({
      id: 'slow-idp',
      title: 'slow idp',
      steps: [
        browser('sign in', {
          run: async (b) => {
            await b.page.goto(b.consoleUrl);
            await b.page.evaluate(() => void (location.href = '/realms/r/protocol/openid-connect/auth'));
            await b.page.locator('#never').waitFor();
          },
        }),
      ],
    });
    try {
      const step = (await run(exec, [journey])).journeys[0]!.attempts[0]!.steps[0]!;
      expect({ status: step.status, code: step.code, artifacts: step.artifacts?.map((a) => a.kind) }).toEqual({ status: 'failed', code: 'keycloak_slow', artifacts: ['screenshot', 'trace'] });
      // Before: the page reads for the evidence (the error banner, the screenshot) each waited for the IdP's answer, up to their own timeouts.
      expect(step.durationMs).toBeLessThan(IDP_ANSWER_BUDGET_MS + IDP_PROBE_BUDGET_MS + 4_000);
    } finally {
      await exec.close();
    }
  }, 60_000);

  it("takes the correlation id from the error envelope's body when no header carries it", async () => {
    const exec = createBrowserExecutor({ outputDir: dir, traceAll: true });
    try {
      const j = defineJourney({ id: 'env', title: 'env', steps: [browser('call', { run: async (b) => {
        await b.page.goto(b.consoleUrl);
        await b.page.evaluate(() => fetch('/api/envelope-only'));
      } })] });
      const step = (await run(exec, [j])).journeys[0]!.attempts[0]!.steps[0]!;
      expect(step.browser!.failedRequests.find((r) => r.status === 502)).toEqual({ method: 'GET', url: `${url}/api/envelope-only`, status: 502, correlationId: 'body-corr-1' });
      expect(step.artifacts!.map((a) => a.kind)).toEqual(['trace']);
    } finally {
      await exec.close();
    }
  }, 60_000);

  it('fails a browser step, naming the field, on a target without console_url', async () => {
    const exec = createBrowserExecutor({ outputDir: dir });
    try {
      const step = (await run(exec, [visit()], target({ consoleUrl: undefined }))).journeys[0]!.attempts[0]!.steps[0]!;
      expect([step.status, step.code, step.message]).toEqual(['failed', 'console_url_missing', 'browser steps need the console\'s URL: target "pages" names no console_url']);
      expect(exec.warm.launches).toBe(0);
    } finally {
      await exec.close();
    }
  });

  it("uses the target's selector overrides", async () => {
    const exec = createBrowserExecutor({ outputDir: dir, actionTimeoutMs: 1_000 });
    try {
      const j = defineJourney({ id: 'sel', title: 'sel', steps: [browser('read', { run: async (b, ctx) => {
        await b.page.goto(b.consoleUrl);
        ctx.check('shell role', await b.console('shell_role').textContent(), 'hello');
      } })] });
      const result = await run(exec, [j], target({ selectors: { console: { shell_role: '#hello' } } }));
      expect(result.status).toBe('passed');
      const missing = await run(exec, [j]);
      const step = missing.journeys[0]!.attempts[0]!.steps[0]!;
      expect([step.code, step.artifacts?.map((a) => a.kind)]).toEqual(['browser_timeout', ['screenshot', 'trace']]);
      expect(step.message).toContain('[data-testid="shell-role"]');
    } finally {
      await exec.close();
    }
  }, 60_000);
});

describe('finding a browser', () => {
  const system = SYSTEM_CHROMIUM.find((p) => existsSync(p))!;
  // CI installs both; a machine with only the full browser takes it for headless runs too.
  const shell = SYSTEM_HEADLESS_SHELL.find((p) => existsSync(p)) ?? system;
  const cases: { name: string; configured?: string; headless?: boolean; env: NodeJS.ProcessEnv; expected: unknown }[] = [
    { name: 'the configured path first', configured: system, env: { ONRAMP_CHROMIUM: '/nope' }, expected: { path: system, source: 'configured' } },
    { name: 'a configured path that does not exist is an error, not a fallback', configured: '/nope/chromium', env: {}, expected: 'problem' },
    { name: 'then ONRAMP_CHROMIUM', env: { ONRAMP_CHROMIUM: system }, expected: { path: system, source: 'ONRAMP_CHROMIUM' } },
    { name: 'then the system headless shell for a headless run (no Playwright download here)', env: {}, expected: { path: shell, source: 'system' } },
    { name: 'and the full system Chromium for a headed run', headless: false, env: {}, expected: { path: system, source: 'system' } },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const found = await findBrowser(c.configured, { env: c.env, headless: c.headless });
      if (c.expected === 'problem') {
        expect('problem' in found && found.problem).toMatch(/^no browser at the configured path \/nope\/chromium: install Chromium .*apt-get install -y chromium-headless-shell chromium.*npx playwright install chromium/);
      } else expect(found).toEqual(c.expected);
    });
  }
});
