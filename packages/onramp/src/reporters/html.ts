// report.html: one self-contained page (inline CSS and script, screenshots as data URLs, no CDN),
// so it opens from disk and in a CI artifact viewer. The run summary with target and faults; each
// journey with its attempts and a step timeline (durations as bars); failures with code, expected,
// actual, correlation id, the runbook's symptom, the LogQL query (with a copy button) and the
// evidence bundle's link; browser screenshots inline and trace links; filtering by status.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { AttemptResult, JourneyResult, RunResult, StepResult } from '../engine/results.ts';
import { stepFailed } from '../engine/results.ts';
import { show } from '../engine/failure.ts';
import type { Reporter } from '../engine/reporter.ts';
import { journeyCounts, summarise } from './json.ts';
import { logQuery } from '../failures/log-search.ts';
import { classify } from '../failures/catalog.ts';

const esc = (v: unknown) => String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const MIME: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp' };

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1d2330}h1{font-size:1.3rem}code,pre{font:12px ui-monospace,monospace}
.meta td{padding:0 .8rem 0 0}.filters button{margin-right:.3rem;border:1px solid #99a;background:#fff;border-radius:3px;padding:.2rem .6rem;cursor:pointer}.filters button[aria-pressed=true]{background:#1d2330;color:#fff}
.journey{border:1px solid #ccd;border-radius:4px;margin:.6rem 0;padding:.3rem .6rem}.journey>summary{cursor:pointer;font-weight:600}
.badge{display:inline-block;border-radius:3px;padding:0 .4rem;font-size:12px;color:#fff}.passed{background:#2b7a3d}.failed,.error{background:#b3261e}.flaky{background:#b36b00}.skipped,.interrupted{background:#667}
.tl{width:100%;border-collapse:collapse}.tl td{padding:1px 4px;vertical-align:top}.tl .name{width:38%}.tl .ms{white-space:nowrap;text-align:right}.bar{height:10px;border-radius:2px;min-width:2px}
.failure{background:#fff4f3;border-left:3px solid #b3261e;margin:.3rem 0 .6rem;padding:.3rem .6rem}.failure dt{font-weight:600;float:left;width:9rem}.failure dd{margin:0 0 .2rem 9rem}
img.shot{max-width:480px;border:1px solid #ccd;display:block;margin:.3rem 0}.hidden{display:none}`;

const SCRIPT = `document.querySelectorAll('.filters button').forEach(b=>b.addEventListener('click',()=>{const s=b.dataset.status;
document.querySelectorAll('.filters button').forEach(x=>x.setAttribute('aria-pressed',String(x===b)));
document.querySelectorAll('.journey').forEach(j=>j.classList.toggle('hidden',s!=='all'&&j.dataset.status!==s));}));
document.querySelectorAll('button.copy').forEach(b=>b.addEventListener('click',()=>{const t=b.previousElementSibling.textContent;
(navigator.clipboard?navigator.clipboard.writeText(t):Promise.reject()).then(()=>b.textContent='copied',()=>{const r=document.createRange();r.selectNodeContents(b.previousElementSibling);getSelection().removeAllRanges();getSelection().addRange(r);b.textContent='selected: press Ctrl+C';});}));`;

export class HtmlReporter implements Reporter {
  readonly name = 'html';
  constructor(
    private readonly outputDir: string,
    private readonly logService = 'gpuaas-api',
  ) {}

  async onRunEnd(run: RunResult) {
    await mkdir(this.outputDir, { recursive: true });
    await writeFile(join(this.outputDir, 'report.html'), await this.render(run));
  }

  async render(run: RunResult): Promise<string> {
    const s = summarise(run);
    const journeys = await Promise.all(run.journeys.map((j) => this.journey(j)));
    const statuses = ['all', ...new Set(run.journeys.map((j) => j.status))];
    const runbook = run.error && classify(run.error.code);
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>onramp run ${esc(run.runId)}: ${esc(run.status)}</title><style>${CSS}</style></head><body>
<h1>onramp run ${esc(run.runId)} <span class="badge ${esc(run.status)}">${esc(run.status)}</span></h1>
<table class="meta"><tr><td>target</td><td><code>${esc(run.target)}</code>${run.meta ? ` api ${esc(run.meta.targetUrls.api)}, idp ${esc(run.meta.targetUrls.idp)}` : ''}</td></tr>
<tr><td>faults</td><td>${run.meta?.faults.length ? run.meta.faults.map((f) => `<code>${esc(f)}</code>`).join(', ') : 'none'}</td></tr>
<tr><td>started</td><td>${esc(run.startedAt)} (${run.durationMs} ms)${run.meta ? `, onramp ${esc(run.meta.onrampVersion)}` : ''}</td></tr>
<tr><td>journeys</td><td id="summary">${journeyCounts(s)}; ${s.steps.total} steps</td></tr>
${run.error ? `<tr><td>run error</td><td><code>${esc(run.error.code)}</code> ${esc(run.error.message)}${runbook ? `<br><small class="runbook">${esc(runbook.action)} (owner: ${esc(runbook.owner)})</small>` : ''}</td></tr>` : ''}</table>
<p class="filters">Show: ${statuses.map((st) => `<button type="button" data-status="${esc(st)}" aria-pressed="${st === 'all'}">${esc(st)}</button>`).join('')}</p>
${journeys.join('\n')}
<script>${SCRIPT}</script></body></html>
`;
  }

  private async journey(j: JourneyResult): Promise<string> {
    const attempts = await Promise.all(j.attempts.map((a) => this.attempt(j, a)));
    return `<details class="journey" data-status="${esc(j.status)}" id="j-${esc(j.id)}"${j.status === 'passed' ? '' : ' open'}><summary><span class="badge ${esc(j.status)}">${esc(j.status)}</span> ${esc(j.id)}: ${esc(j.title)} (${j.durationMs} ms${j.attempts.length > 1 ? `, ${j.attempts.length} attempts` : ''})</summary>
${j.reason ? `<p>${esc(j.reason)}</p>` : ''}${attempts.join('\n')}</details>`;
  }

  private async attempt(j: JourneyResult, a: AttemptResult): Promise<string> {
    const longest = Math.max(1, ...a.steps.map((s) => s.durationMs));
    const rows = await Promise.all(
      a.steps.map(async (s) => {
        const width = Math.max(0.5, (s.durationMs / longest) * 100).toFixed(1);
        const row = `<tr class="step" data-step="${esc(s.id)}" data-status="${esc(s.status)}"><td class="name">${esc(s.name)}${s.always ? ' <small>(cleanup)</small>' : ''}</td><td><span class="badge ${esc(s.status)}">${esc(s.status)}</span>${s.flaky ? ` <span class="badge flaky" title="${esc(s.flaky.message)}">flaky: ${esc(s.flaky.code)}</span>` : ''}</td><td style="width:50%"><div class="bar ${esc(s.status)}" style="width:${width}%"></div></td><td class="ms">${s.durationMs} ms</td></tr>`;
        const flaky = s.flaky ? `<p class="flaky-reason"><code class="code">${esc(s.flaky.code)}</code> ${esc(s.flaky.message)}</p>` : '';
        return stepFailed(s) || s.artifacts?.length || flaky ? `${row}<tr><td colspan="4">${flaky}${stepFailed(s) ? this.failure(j, s) : ''}${await this.artifacts(s)}</td></tr>` : row;
      }),
    );
    return `<h3>Attempt ${a.attempt}: ${esc(a.status)} (${a.durationMs} ms)</h3><table class="tl">${rows.join('')}</table>`;
  }

  private failure(j: JourneyResult, s: StepResult): string {
    const evidence = s.evidence;
    const query = s.correlationId ? logQuery(this.logService, s.correlationId) : undefined;
    const runbook = classify(s.code);
    return `<dl class="failure"><dt>code</dt><dd><code class="code">${esc(s.code)}</code></dd><dt>message</dt><dd>${esc(s.message ?? '')}</dd>
${runbook.known ? `<dt>runbook symptom</dt><dd class="symptom">${esc(runbook.symptom)} <small>(owner: ${esc(runbook.owner)})</small></dd>` : ''}
<dt>expected</dt><dd><code>${esc(show(s.expected))}</code></dd><dt>actual</dt><dd><code>${esc(show(s.actual))}</code></dd>
<dt>correlation_id</dt><dd><code class="cid">${esc(s.correlationId ?? 'none')}</code></dd>
${s.requestId ? `<dt>request_id</dt><dd><code class="rid">${esc(s.requestId.id)}</code> <small>(X-Request-ID sent by ${esc(s.requestId.sentBy)}, not the target's)</small></dd>` : ''}
${query ? `<dt>LogQL</dt><dd><code class="logql">${esc(query)}</code> <button type="button" class="copy">copy</button></dd>` : ''}
${s.violations.map((v) => `<dt>contract</dt><dd>${esc(v.message)}</dd>`).join('')}
${evidence ? `<dt>evidence</dt><dd><a class="evidence" href="${esc(evidence)}">${esc(evidence)}</a></dd>` : ''}</dl>`;
  }

  private async artifacts(s: StepResult): Promise<string> {
    const out: string[] = [];
    for (const a of s.artifacts ?? []) {
      const mime = MIME[extname(a.path).toLowerCase()];
      if (a.kind === 'screenshot' && mime) {
        const data = await readFile(join(this.outputDir, a.path)).catch(() => undefined);
        out.push(data ? `<img class="shot" alt="screenshot of ${esc(s.name)}" src="data:${mime};base64,${data.toString('base64')}">` : `<p>screenshot missing: ${esc(a.path)}</p>`);
      } else out.push(`<p><a class="trace" href="${esc(a.path)}">${esc(a.kind)}: ${esc(a.path)}</a>${a.kind === 'trace' ? ' (open with <code>npx playwright show-trace</code>)' : ''}</p>`);
    }
    return out.join('');
  }
}
