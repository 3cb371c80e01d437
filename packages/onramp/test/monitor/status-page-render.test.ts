// The status page as the server renders it, without a browser: failing journeys first, a failure's
// runbook row (symptom, owner, next action) and log links built like triage's, evidence and
// artifacts, uptime and relative times, and nothing a journey, code or message carries can inject
// HTML. The browser test (status-page.test.ts) shows the same page in Chromium.
import { describe, expect, it } from 'vitest';
import { FAILURES } from '../../src/failures/catalog.ts';
import { grafanaExploreUrl, logQuery } from '../../src/failures/log-search.ts';
import type { RunRecord, StepRecord } from '../../src/monitor/history.ts';
import { ago, renderStatusPage, time, uptime, type JourneyStatusView, type StatusPageOptions } from '../../src/monitor/status-page.ts';

const NOW = new Date('2026-12-06T12:00:00Z');
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();

const run = (journey: string, outcome: RunRecord['outcome'], minutesAgo = 1, step: Partial<StepRecord> = {}): RunRecord => ({
  runId: `run-${journey}-${minutesAgo}`, journey, location: '', outcome, startedAt: at(minutesAgo + 0.5), finishedAt: at(minutesAgo), durationMs: 4200,
  steps: [{ name: 'sign up', status: outcome === 'failed' || outcome === 'error' ? outcome : 'passed', durationMs: 5, ...step }],
});
const view = (id: string, runs: RunRecord[], extra: Partial<JourneyStatusView> = {}): JourneyStatusView => ({ id, title: `Journey ${id}`, schedule: '30s', runs, running: false, uptime: {}, ...extra });
const render = (journeys: JourneyStatusView[], o: Partial<StatusPageOptions> = {}) => renderStatusPage({ journeys, refreshSeconds: 5, now: NOW, artifactUrl: () => undefined, ...o });
const order = (html: string) => [...html.matchAll(/data-journey="([^"]+)"/g)].map((m) => m[1]);

describe('status page', () => {
  it('puts failing journeys first, then flaky ones, then the rest, each group in the configured order', () => {
    const html = render([view('a', [run('a', 'passed')]), view('b', []), view('c', [run('c', 'flaky')]), view('d', [run('d', 'failed')]), view('e', [run('e', 'error')]), view('f', [run('f', 'passed'), run('f', 'failed', 2)])]);
    expect(order(html)).toEqual(['d', 'e', 'c', 'a', 'b', 'f']);
    expect(html).toContain('<title>(2 failing) onramp monitor</title>');
  });

  it('shows a failure\'s runbook row, the id with a copy button, the LogQL query and the Grafana Explore link', () => {
    const code = 'project_context_required_despite_header';
    const failed = run('p', 'failed', 1, { code, correlationId: 'corr-1', message: 'status 400 == 200', expected: '200', actual: '400' });
    const logs = { service: 'api', grafanaUrl: 'https://grafana.example.com/', grafanaDatasource: 'loki-prod' };
    const html = render([view('p', [failed])], { logs });
    const row = FAILURES[code];
    const esc = (s: string) => s.replace(/&/g, '&#38;').replace(/"/g, '&#34;').replace(/'/g, '&#39;').replace(/</g, '&#60;').replace(/>/g, '&#62;');
    expect(html).toContain(`<code class="code">${code}</code>`);
    expect(html).toContain(`<p class="symptom">${esc(row.symptom)}</p>`);
    expect(html).toContain(`<dd class="owner">${esc(row.owner)}</dd>`);
    expect(html).toContain(`<dd class="action">${esc(row.action)}</dd>`);
    expect(html).toContain('<code class="correlation-id">corr-1</code> <button type="button" class="copy" data-copy="corr-1" hidden>copy</button>');
    expect(html).toContain(`<code class="logql">${esc(logQuery('api', 'corr-1'))}</code>`);
    expect(html).toContain(`<a class="explore" href="${esc(grafanaExploreUrl('https://grafana.example.com/', logQuery('api', 'corr-1'), 'loki-prod'))}">`);
    // Expected next to actual; the message says nothing more, so it is not repeated.
    expect(html).toContain('expected <code class="expected">200</code>, actual <code class="actual">400</code>');
    expect(html).not.toContain('class="message"');
    expect(render([view('p', [failed])])).not.toContain('class="explore"');
  });

  it('shows the X-Request-ID onramp sent for a failure that is no platform answer', () => {
    const html = render([view('k', [run('k', 'failed', 1, { code: 'keycloak_down', request_id: { id: 'run1.k.idp.1', sent_by: 'onramp' } })])]);
    expect(html).toContain('<span class="correlation-id">none</span>');
    expect(html).toContain('<code class="request-id">run1.k.idp.1</code> <button type="button" class="copy" data-copy="run1.k.idp.1" hidden>copy</button> <small>(X-Request-ID sent by onramp');
    expect(html).not.toContain('class="logql"');
  });

  it('links artifacts this monitor still keeps, and only those', () => {
    const failed = run('p', 'failed', 1, { code: 'sso_session_survived_logout', artifacts: [{ kind: 'screenshot', path: 'p/r1/a.png' }, { kind: 'trace', path: 'p/r1/a.trace.zip' }] });
    const html = render([view('p', [failed])], { artifactUrl: (p) => (p.endsWith('.png') ? `/artifacts/${p}` : undefined) });
    expect(html).toContain('<a class="screenshot" href="/artifacts/p/r1/a.png"><img src="/artifacts/p/r1/a.png" alt="screenshot of sign up" loading="lazy" width="240"></a>');
    expect(html).not.toContain('class="trace"');
  });

  it('folds away the earlier failed runs whose artifacts are still kept, each with its links', () => {
    const failedWith = (minutesAgo: number) => run('p', 'failed', minutesAgo, { code: 'sso_session_survived_logout', artifacts: [{ kind: 'screenshot', path: `p/r${minutesAgo}/a.png` }, { kind: 'trace', path: `p/r${minutesAgo}/a.trace.zip` }] });
    const kept = new Set(['p/r1/a.png', 'p/r2/a.png', 'p/r2/a.trace.zip']);
    const html = render([view('p', [failedWith(1), failedWith(2), run('p', 'passed', 3), failedWith(4)])], { artifactUrl: (p) => (kept.has(p) ? `/artifacts/${p}` : undefined) });
    // Run 1 is the failure shown; run 4's files were pruned.
    expect(html).toContain(`<details class="earlier"><summary>earlier failures with artifacts (1)</summary><ul><li>${time(at(2), NOW)} <code class="code">sso_session_survived_logout</code> <a class="kept" data-kind="screenshot" href="/artifacts/p/r2/a.png">screenshot</a> &middot; <a class="kept" data-kind="trace" href="/artifacts/p/r2/a.trace.zip">trace</a></li></ul></details>`);
  });

  it('says how long a journey has been failing, from its history', () => {
    const html = render([view('p', [run('p', 'failed', 1), run('p', 'error', 2), run('p', 'failed', 3), run('p', 'passed', 4)])]);
    expect(html).toContain(`<span class="streak">for 3 runs, since ${time(at(3.5), NOW)}</span>`);
  });

  it('turns refreshing off on request', () => {
    expect(render([], { refreshSeconds: 5 })).toContain('<meta http-equiv="refresh" content="5">');
    const off = render([], { refreshSeconds: 0 });
    expect(off).not.toContain('http-equiv="refresh"');
    expect(off).toContain('<a href="/">refresh automatically</a>');
  });

  it('escapes everything a journey, step, code, message or page evidence carries', () => {
    const evil = '"><img src=x onerror=alert(1)>';
    const failed = run(evil, 'failed', 1, {
      name: evil, code: evil, message: evil, correlationId: evil, expected: evil, actual: `${evil}!`,
      browser: { failed_requests: [{ method: evil, url: evil, status: 500, correlation_id: evil }], console_errors: [{ text: evil, correlation_id: null }], signed_in_as: evil },
      artifacts: [{ kind: 'screenshot', path: evil }, { kind: 'trace', path: evil }],
    });
    const html = render([{ ...view(evil, [failed]), title: evil, schedule: evil }], { artifactUrl: (p) => `/artifacts/${p}`, logs: { service: evil, grafanaUrl: `https://g/${evil}` } });
    expect(html).not.toMatch(/<img src=x/);
    expect(html).not.toMatch(/onerror=alert\(1\)>/);
    // The one element an artifact makes; no other element came from the data.
    expect(html.match(/<img /g)).toHaveLength(1);
    expect(html.match(/&#34;&#62;&#60;img src=x onerror=alert\(1\)&#62;/g)!.length).toBeGreaterThan(10);
  });
});

describe('uptime and times', () => {
  it.each([
    [undefined, '<span class="none" title="no runs">&ndash;</span>'],
    [{ journey: 'a', runs: 0, up: 0 }, '<span class="none" title="no runs">&ndash;</span>'],
    [{ journey: 'a', runs: 10, up: 10 }, '<strong title="10 of 10 runs passed">100 %</strong>'],
    [{ journey: 'a', runs: 3, up: 1 }, '<strong title="1 of 3 runs passed">33.3 %</strong>'],
    // Rounded down: one failure in a day of 30 s ticks is not 100 %.
    [{ journey: 'a', runs: 2880, up: 2879 }, '<strong title="2879 of 2880 runs passed">99.9 %</strong>'],
  ])('uptime %j is %s', (count, html) => {
    expect(uptime(count)).toBe(html);
  });

  it.each([
    [-3, '0 s ago'],
    [42.4, '42 s ago'],
    [60, '1 min ago'],
    [3599, '59 min ago'],
    [3600, '1 h ago'],
    [86_399, '23 h ago'],
    [3 * 86_400, '3 d ago'],
  ])('%s s is "%s"', (seconds, text) => {
    expect(ago(seconds)).toBe(text);
  });

  it('a <time> carries the machine time and the absolute time on hover', () => {
    expect(time('2026-12-06T11:55:00.000Z', NOW)).toBe('<time datetime="2026-12-06T11:55:00.000Z" title="2026-12-06 11:55:00 UTC">5 min ago</time>');
  });
});
