// The status page: one card per journey with its state, last run, a small chart of recent durations
// and the last failure's step, code and correlation id. Self-contained (inline CSS and SVG, no CDN,
// no script), refreshed by the browser, laid out in one column on a phone.
import { stepFailed } from '../engine/results.ts';
import type { RunRecord } from './history.ts';

export interface JourneyStatusView {
  id: string;
  title: string;
  schedule: string;
  /** Newest first. */
  runs: RunRecord[];
  running: boolean;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STATE_CLASS: Record<string, string> = { passed: 'ok', flaky: 'warn', failed: 'bad', error: 'bad', skipped: 'idle', interrupted: 'idle' };

/** What the header says the journeys run against. */
export interface StatusTarget {
  name: string;
  apiUrl: string;
  /** The embedded sandbox: a demo platform inside this process, not the platform anyone uses. */
  embedded: boolean;
}

export function renderStatusPage(o: { journeys: JourneyStatusView[]; target?: StatusTarget; location?: string; refreshSeconds: number; now: Date }): string {
  const failing = o.journeys.filter((j) => ['failed', 'error'].includes(j.runs[0]?.outcome ?? '')).length;
  const title = `onramp monitor${o.location ? ` (${o.location})` : ''}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${o.refreshSeconds}">
<title>${failing ? `(${failing} failing) ` : ''}${esc(title)}</title>
<style>${CSS}</style></head>
<body><header><h1>${esc(title)}</h1>${o.target ? targetLine(o.target) : ''}<p class="summary">${o.journeys.length} journeys, <strong>${failing}</strong> failing &middot; updated ${esc(o.now.toISOString())}</p></header>
<main>${o.journeys.map(card).join('\n')}</main>
<footer><a href="/api/runs">/api/runs</a> &middot; <a href="/metrics">/metrics</a></footer>
</body></html>`;
}

/** The target by name, and plainly when it is the embedded sandbox: green there says nothing about a real platform. */
function targetLine(t: StatusTarget): string {
  const what = t.embedded ? '<strong>the embedded sandbox</strong>: a demo platform inside this monitor, not a real one' : `target <strong>${esc(t.name)}</strong>`;
  return `<p class="target" data-target="${esc(t.name)}" data-embedded="${t.embedded}">against ${what} &middot; <code>${esc(t.apiUrl)}</code></p>`;
}

function card(j: JourneyStatusView): string {
  const last = j.runs[0];
  const state = last?.outcome ?? 'pending';
  const failure = last && ['failed', 'error'].includes(last.outcome) ? last.steps.find(stepFailed) : undefined;
  return `<section class="journey ${STATE_CLASS[state] ?? 'idle'}" data-journey="${esc(j.id)}" data-state="${esc(state)}">
<h2><span class="dot" aria-hidden="true"></span>${esc(j.title)} <small>${esc(j.id)}</small></h2>
<dl>
<dt>state</dt><dd class="state">${esc(state)}${j.running ? ' <em>(running)</em>' : ''}</dd>
<dt>schedule</dt><dd>${esc(j.schedule)}</dd>
<dt>last run</dt><dd>${last ? `${esc(last.finishedAt)} &middot; ${(last.durationMs / 1000).toFixed(1)} s &middot; run ${esc(last.runId)}` : 'not yet'}</dd>
</dl>
${sparkline(j.runs)}
${failure ? `<div class="failure"><h3>last failure</h3><dl><dt>step</dt><dd class="step">${esc(failure.name)}</dd><dt>code</dt><dd class="code">${esc(failure.code ?? failure.status)}</dd><dt>correlation id</dt><dd class="correlation-id"><code>${esc(failure.correlationId ?? 'none')}</code></dd>${failure.message ? `<dt>message</dt><dd>${esc(failure.message)}</dd>` : ''}</dl></div>` : ''}
</section>`;
}

/** Recent durations, newest right, as bars coloured by outcome; the scale is the longest shown. */
function sparkline(runs: RunRecord[]): string {
  const slots = 30;
  const recent = runs.slice(0, slots).reverse();
  if (!recent.length) return '';
  const max = Math.max(...recent.map((r) => r.durationMs), 1);
  const w = 6;
  const h = 32;
  const bars = recent
    .map((r, i) => {
      const bh = Math.max(2, Math.round((r.durationMs / max) * h));
      return `<rect x="${(slots - recent.length + i) * w}" y="${h - bh}" width="${w - 1}" height="${bh}" class="${STATE_CLASS[r.outcome] ?? 'idle'}"><title>${esc(r.outcome)} ${(r.durationMs / 1000).toFixed(2)} s</title></rect>`;
    })
    .join('');
  return `<svg class="chart" role="img" aria-label="recent durations, longest ${(max / 1000).toFixed(1)} s" viewBox="0 0 ${slots * w} ${h}" preserveAspectRatio="none">${bars}</svg>`;
}

const CSS = `
*{box-sizing:border-box}body{margin:0;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1d2330}
header,footer{padding:12px 16px}h1{margin:0;font-size:20px}.summary,.target{margin:4px 0 0;color:#555}
main{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:12px;padding:0 16px}
.journey{background:#fff;border-radius:8px;padding:12px 14px;border-left:6px solid #999;box-shadow:0 1px 2px #0002;min-width:0}
.journey.ok{border-color:#1a7f37}.journey.bad{border-color:#cf222e}.journey.warn{border-color:#bf8700}
h2{margin:0 0 6px;font-size:16px}h2 small{color:#777;font-weight:normal}h3{margin:8px 0 4px;font-size:14px;color:#cf222e}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;background:#999}
.ok .dot{background:#1a7f37}.bad .dot{background:#cf222e}.warn .dot{background:#bf8700}
dl{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:0}dt{color:#666}dd{margin:0;overflow-wrap:anywhere}
.chart{width:100%;height:32px;margin-top:8px;background:#fafafa}
rect.ok{fill:#1a7f37}rect.bad{fill:#cf222e}rect.warn{fill:#bf8700}rect.idle{fill:#999}
.failure{background:#fff5f5;border-radius:6px;padding:6px 8px;margin-top:8px}code{font-size:13px}
@media (max-width:480px){main{grid-template-columns:1fr;padding:0 8px}header,footer{padding:10px 8px}}
`;
