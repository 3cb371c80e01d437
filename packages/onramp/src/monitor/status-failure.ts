// A failing journey's panel on the status page: what an operator acts on. The runbook row of the
// code (symptom, owner, next action), the id to search the logs with (copy button), the runbook's
// LogQL query and a Grafana Explore link (the same builders as triage), the step's evidence, and its
// screenshot and trace when this monitor keeps them.
import { classify } from '../failures/catalog.ts';
import { grafanaExploreUrl, logQuery } from '../failures/log-search.ts';
import type { StepRecord } from './history.ts';

export interface LogLinks {
  /** The `service` label of the API's log lines (default gpuaas-api). */
  service: string;
  grafanaUrl?: string;
  grafanaDatasource?: string;
}

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A value to copy: selectable text on its own, with a button once the page's script runs. */
const copyable = (cls: string, text: string) => `<code class="${cls}">${esc(text)}</code> <button type="button" class="copy" data-copy="${esc(text)}" hidden>copy</button>`;

export function failurePanel(step: StepRecord, o: { logs?: LogLinks; artifactUrl(path: string): string | undefined }): string {
  const row = classify(step.code);
  const cid = step.correlationId;
  const query = cid ? logQuery(o.logs?.service ?? 'gpuaas-api', cid) : undefined;
  const explore = query && o.logs?.grafanaUrl ? grafanaExploreUrl(o.logs.grafanaUrl, query, o.logs.grafanaDatasource) : undefined;
  return `<div class="failure">
<h3><span class="step">${esc(step.name)}</span> <code class="code">${esc(step.code ?? step.status)}</code></h3>
<p class="symptom">${esc(row.symptom)}</p>
<dl>
<dt>owner</dt><dd class="owner">${esc(row.owner)}</dd>
<dt>next action</dt><dd class="action">${esc(row.action)}</dd>
<dt>correlation id</dt><dd>${cid ? copyable('correlation-id', cid) : '<span class="correlation-id">none</span>'}</dd>
${step.request_id ? `<dt>request id</dt><dd>${copyable('request-id', step.request_id.id)} <small>(X-Request-ID sent by ${esc(step.request_id.sent_by)}, not the target's)</small></dd>` : ''}
${query ? `<dt>logs</dt><dd>${copyable('logql', query)}${explore ? ` <a class="explore" href="${esc(explore)}">Grafana Explore</a>` : ''}</dd>` : ''}
${evidence(step)}
</dl>
${artifacts(step, o.artifactUrl)}
</div>`;
}

/** The step's own evidence: expected next to actual, the message when it says more, and what the page saw go wrong. */
function evidence(s: StepRecord): string {
  const both = s.expected !== undefined || s.actual !== undefined;
  const saysMore = s.message && !(both && s.message.includes(s.expected ?? '') && s.message.includes(s.actual ?? ''));
  const items = [
    ...(both ? [`<li>expected <code class="expected">${esc(s.expected ?? '')}</code>, actual <code class="actual">${esc(s.actual ?? '')}</code></li>`] : []),
    ...(saysMore ? [`<li class="message">${esc(s.message!)}</li>`] : []),
    ...(s.browser?.failed_requests ?? []).map((r) => `<li>${esc(r.method)} ${esc(r.url)} &rarr; ${r.status ?? 'no answer'}${r.correlation_id ? ` <small>(${esc(r.correlation_id)})</small>` : ''}</li>`),
    ...(s.browser?.console_errors ?? []).map((e) => `<li>console: ${esc(e.text)}</li>`),
    ...(s.browser?.signed_in_as ? [`<li>signed in as ${esc(s.browser.signed_in_as)}</li>`] : []),
  ];
  return items.length ? `<dt>evidence</dt><dd><ul class="evidence">${items.join('')}</ul></dd>` : '';
}

function artifacts(s: StepRecord, artifactUrl: (path: string) => string | undefined): string {
  const links = (s.artifacts ?? []).flatMap((a) => {
    const url = artifactUrl(a.path);
    if (!url) return [];
    return a.kind === 'screenshot'
      ? [`<a class="screenshot" href="${esc(url)}"><img src="${esc(url)}" alt="screenshot of ${esc(s.name)}" loading="lazy" width="240"></a>`]
      : [`<a class="trace" href="${esc(url)}" download>trace</a> <small>(<code>npx playwright show-trace</code>)</small>`];
  });
  return links.length ? `<div class="artifacts">${links.join(' ')}</div>` : '';
}
