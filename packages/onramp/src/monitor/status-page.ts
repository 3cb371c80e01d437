// The status page, for operators (compare Gatus): failing journeys first, each failure with what to
// do about it (status-failure.ts), uptime over the last hour and day, a duration sparkline, and
// relative times with the absolute time on hover. Server-rendered and self-contained (inline CSS and
// SVG, no CDN); it works without JavaScript (the script only adds copy buttons), refreshes itself
// unless asked not to, and is laid out in one column on a phone.
import { stepFailed } from '../engine/results.ts';
import type { RunRecord, UptimeCount } from './history.ts';
import { esc, failurePanel, type LogLinks } from './status-failure.ts';

export interface JourneyStatusView {
  id: string;
  title: string;
  schedule: string;
  /** Newest first. */
  runs: RunRecord[];
  running: boolean;
  /** Counted runs over the last hour and the last 24 hours. */
  uptime: { hour?: UptimeCount; day?: UptimeCount };
}

export interface StatusPageOptions {
  journeys: JourneyStatusView[];
  target?: StatusTarget;
  location?: string;
  /** 0: the page does not refresh itself. */
  refreshSeconds: number;
  now: Date;
  logs?: LogLinks;
  /** The URL of a kept artifact (`<journey>/<run_id>/<file>`); undefined when it is not served or no longer kept here. */
  artifactUrl(path: string): string | undefined;
}

const STATE_CLASS: Record<string, string> = { passed: 'ok', flaky: 'warn', failed: 'bad', error: 'bad', skipped: 'idle', interrupted: 'idle' };

/** Runs the server reads per journey: the sparkline's slots and the longest streak counted exactly. */
export const RECENT_RUNS = 30;

/** Failing journeys first, then flaky ones, then the rest, each group in the configured order. */
const RANK: Record<string, number> = { failed: 0, error: 0, flaky: 1 };
const rank = (j: JourneyStatusView) => RANK[j.runs[0]?.outcome ?? ''] ?? 2;
const isFailing = (r: RunRecord | undefined) => r?.outcome === 'failed' || r?.outcome === 'error';

/** What the header says the journeys run against. */
export interface StatusTarget {
  name: string;
  apiUrl: string;
  /** The embedded sandbox: a demo platform inside this process, not the platform anyone uses. */
  embedded: boolean;
}

export function renderStatusPage(o: StatusPageOptions): string {
  const failing = o.journeys.filter((j) => isFailing(j.runs[0])).length;
  const title = `onramp monitor${o.location ? ` (${o.location})` : ''}`;
  const journeys = [...o.journeys].sort((a, b) => rank(a) - rank(b));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${o.refreshSeconds ? `<meta http-equiv="refresh" content="${o.refreshSeconds}">\n` : ''}<title>${failing ? `(${failing} failing) ` : ''}${esc(title)}</title>
<style>${CSS}</style></head>
<body><header><h1>${esc(title)}</h1>${o.target ? targetLine(o.target) : ''}<p class="summary">${o.journeys.length} journeys, <strong>${failing}</strong> failing &middot; updated ${esc(o.now.toISOString())}</p></header>
<main>${journeys.map((j) => card(j, o)).join('\n')}</main>
<footer><a href="/api/runs">/api/runs</a> &middot; <a href="/metrics">/metrics</a> &middot; ${o.refreshSeconds ? `refreshes every ${o.refreshSeconds} s: <a href="/?refresh=off">stop</a>` : '<a href="/">refresh automatically</a>'}</footer>
<script>${SCRIPT}</script>
</body></html>`;
}

/** The target by name, and plainly when it is the embedded sandbox: green there says nothing about a real platform. */
function targetLine(t: StatusTarget): string {
  const what = t.embedded ? '<strong>the embedded sandbox</strong>: a demo platform inside this monitor, not a real one' : `target <strong>${esc(t.name)}</strong>`;
  return `<p class="target" data-target="${esc(t.name)}" data-embedded="${t.embedded}">against ${what} &middot; <code>${esc(t.apiUrl)}</code></p>`;
}

function card(j: JourneyStatusView, o: StatusPageOptions): string {
  const last = j.runs[0];
  const state = last?.outcome ?? 'pending';
  const failure = isFailing(last) ? last!.steps.find(stepFailed) : undefined;
  // The failing streak: how many runs in a row, since the first of them.
  const streak = isFailing(last) ? j.runs.findIndex((r) => !isFailing(r)) : -1;
  const since = isFailing(last) ? j.runs[(streak < 0 ? j.runs.length : streak) - 1] : undefined;
  return `<section class="journey ${STATE_CLASS[state] ?? 'idle'}" data-journey="${esc(j.id)}" data-state="${esc(state)}">
<h2><span class="dot" aria-hidden="true"></span>${esc(j.title)} <small>${esc(j.id)}</small></h2>
<dl>
<dt>state</dt><dd class="state">${esc(state)}${j.running ? ' <em>(running)</em>' : ''}${since ? ` <span class="streak">for ${streakText(streak, j.runs.length)}, since ${time(since.startedAt, o.now)}</span>` : ''}</dd>
<dt>last run</dt><dd>${last ? `${time(last.finishedAt, o.now)} &middot; ${(last.durationMs / 1000).toFixed(1)} s &middot; run <code>${esc(last.runId)}</code>` : 'not yet'}</dd>
<dt>uptime</dt><dd class="uptime"><span data-window="1h">1 h ${uptime(j.uptime.hour)}</span> &middot; <span data-window="24h">24 h ${uptime(j.uptime.day)}</span></dd>
<dt>schedule</dt><dd>${esc(j.schedule)}</dd>
</dl>
${sparkline(j.runs, o.now)}
${failure ? failurePanel(failure, o) : ''}
${earlierFailures(j.runs, failure ? last : undefined, o)}
</section>`;
}

/** The other failed runs whose screenshot or trace this monitor still keeps, newest first; folded away. */
function earlierFailures(runs: RunRecord[], shown: RunRecord | undefined, o: StatusPageOptions): string {
  const items = runs.flatMap((r) => {
    const step = r !== shown && isFailing(r) ? r.steps.find(stepFailed) : undefined;
    const links = (step?.artifacts ?? []).flatMap((a) => {
      const url = o.artifactUrl(a.path);
      return url ? [`<a class="kept" data-kind="${esc(a.kind)}" href="${esc(url)}">${esc(a.kind)}</a>`] : [];
    });
    return links.length ? [`<li>${time(r.finishedAt, o.now)} <code class="code">${esc(step!.code ?? step!.status)}</code> ${links.join(' &middot; ')}</li>`] : [];
  });
  return items.length ? `<details class="earlier"><summary>earlier failures with artifacts (${items.length})</summary><ul>${items.join('')}</ul></details>` : '';
}

/** `streak`: failing runs in a row, or -1 when every run read failed (then there may be more). */
function streakText(streak: number, read: number): string {
  const n = streak >= 0 ? streak : read;
  return `${n}${streak < 0 && read >= RECENT_RUNS ? '+' : ''} run${n === 1 ? '' : 's'}`;
}

/** Passed share of counted runs, rounded down: one failure in a day never shows as 100 %. */
export function uptime(c: UptimeCount | undefined): string {
  if (!c?.runs) return '<span class="none" title="no runs">&ndash;</span>';
  const pct = Math.floor((c.up / c.runs) * 1000) / 10;
  return `<strong title="${c.up} of ${c.runs} runs passed">${pct} %</strong>`;
}

/** `<time>` with the time relative to now, the absolute time (UTC) on hover. */
export function time(iso: string, now: Date): string {
  const at = new Date(iso);
  const absolute = `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  return `<time datetime="${esc(at.toISOString())}" title="${absolute}">${ago((now.getTime() - at.getTime()) / 1000)}</time>`;
}

export function ago(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** Recent durations, newest right, as bars coloured by outcome; the scale is the longest shown. */
function sparkline(runs: RunRecord[], now: Date): string {
  const slots = RECENT_RUNS;
  const recent = runs.slice(0, slots).reverse();
  if (!recent.length) return '';
  const max = Math.max(...recent.map((r) => r.durationMs), 1);
  const w = 6;
  const h = 32;
  const bars = recent
    .map((r, i) => {
      const bh = Math.max(2, Math.round((r.durationMs / max) * h));
      return `<rect x="${(slots - recent.length + i) * w}" y="${h - bh}" width="${w - 1}" height="${bh}" class="${STATE_CLASS[r.outcome] ?? 'idle'}"><title>${esc(r.outcome)} ${(r.durationMs / 1000).toFixed(2)} s, ${ago((now.getTime() - Date.parse(r.finishedAt)) / 1000)}</title></rect>`;
    })
    .join('');
  return `<svg class="chart" role="img" aria-label="recent durations, longest ${(max / 1000).toFixed(1)} s" viewBox="0 0 ${slots * w} ${h}" preserveAspectRatio="none">${bars}</svg>`;
}

// Progressive enhancement: without it the values stay selectable text.
const SCRIPT = `for(const b of document.querySelectorAll('button.copy')){b.hidden=false;b.addEventListener('click',async()=>{try{await navigator.clipboard.writeText(b.dataset.copy);b.textContent='copied'}catch{const r=document.createRange();r.selectNodeContents(b.previousElementSibling);getSelection().removeAllRanges();getSelection().addRange(r);b.textContent='select + copy'}})}`;

const CSS = `
*{box-sizing:border-box}body{margin:0;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1d2330}
header,footer{padding:12px 16px}h1{margin:0;font-size:20px}.summary,.target{margin:4px 0 0;color:#555}
main{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,420px),1fr));gap:12px;padding:0 16px}
.journey{background:#fff;border-radius:8px;padding:12px 14px;border-left:6px solid #999;box-shadow:0 1px 2px #0002;min-width:0}
.journey.ok{border-color:#1a7f37}.journey.bad{border-color:#cf222e}.journey.warn{border-color:#bf8700}
h2{margin:0 0 6px;font-size:16px}h2 small{color:#777;font-weight:normal}h3{margin:0 0 4px;font-size:14px;color:#cf222e}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;background:#999}
.ok .dot{background:#1a7f37}.bad .dot{background:#cf222e}.warn .dot{background:#bf8700}
dl{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:0}dt{color:#666}dd{margin:0;overflow-wrap:anywhere;min-width:0}
time{text-decoration:underline dotted #999}.streak{color:#cf222e}
.chart{width:100%;height:32px;margin-top:8px;background:#fafafa}
rect.ok{fill:#1a7f37}rect.bad{fill:#cf222e}rect.warn{fill:#bf8700}rect.idle{fill:#999}
.failure{background:#fff5f5;border-radius:6px;padding:8px;margin-top:8px}.symptom{margin:0 0 6px;font-weight:600}
code{font-size:13px}
.code{display:inline-block;max-width:100%;overflow-x:auto;white-space:nowrap;vertical-align:bottom}
.evidence,.earlier ul{margin:0;padding-left:18px}.earlier{margin-top:8px}.artifacts{margin-top:6px}.screenshot img{display:block;max-width:100%;height:auto;border:1px solid #ddd;margin-bottom:4px}
button.copy{font:12px system-ui,sans-serif;padding:0 6px;margin-left:2px}
@media (max-width:480px){main{padding:0 8px}header,footer{padding:10px 8px}dl{grid-template-columns:1fr}dt{margin-top:4px}}
`;
