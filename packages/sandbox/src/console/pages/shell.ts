// The signed-in shell: who you are as GET /api/v1/session says, two tabs, and the state the
// client script starts from.
import { renderErrorBanner } from './banner.ts';
import { esc, jsonForScript, layout } from './html.ts';
import { renderOverview } from './overview.ts';
import { renderSettings } from './settings.ts';
import { scopeNames, type ShellView } from './view-model.ts';

function userLabel(view: ShellView): string {
  const s = view.session;
  if (!s) return view.fallbackUser;
  if (s.display_name && s.email) return `${s.display_name} (${s.email})`;
  return s.display_name ?? s.email ?? view.fallbackUser;
}

/** A name in the header; its id is the tooltip and data-id (the Overview shows it in full). */
function scopeLabel(kind: 'tenant' | 'project', named: { id: string; name: string } | undefined): string {
  if (!named) return `<span class="ctx">${kind} <span data-testid="shell-${kind}">none</span></span>`;
  return `<span class="ctx">${kind} <span class="scope-name" data-testid="shell-${kind}" data-id="${esc(named.id)}" title="${esc(`${kind} id ${named.id}`)}">${esc(named.name)}</span></span>`;
}

export function renderShell(view: ShellView): string {
  const s = view.session;
  const scope = s ? scopeNames(s) : {};
  const user = esc(userLabel(view));
  const state = {
    role: s?.role ?? null,
    localState: view.faults.localState,
    snapshot: view.snapshot,
  };
  return layout('onramp console', `<header class="shell-header">
  <span class="brand">Platform console</span>
  <span class="who">
    <span data-testid="shell-user" title="${user}">${user}</span>
    <span class="pill" data-testid="shell-role">${esc(s ? (s.role ?? 'none') : 'unknown')}</span>
    ${scopeLabel('tenant', scope.tenant)}
    ${scopeLabel('project', scope.project)}
  </span>
  <a class="button button-secondary" href="/auth/logout" data-testid="logout">Log out</a>
</header>
${renderErrorBanner(view.sessionError ?? view.snapshotError)}
<nav class="tabs" role="tablist">
  <button type="button" role="tab" id="tab-overview" data-tab="overview" data-testid="tab-overview" aria-selected="true" aria-controls="panel-overview">Overview</button>
  <button type="button" role="tab" id="tab-settings" data-tab="settings" data-testid="tab-settings" aria-selected="false" aria-controls="panel-settings">Settings</button>
</nav>
<main>
  <section role="tabpanel" id="panel-overview" data-testid="panel-overview" aria-labelledby="tab-overview">
${renderOverview(view)}
  </section>
  <section role="tabpanel" id="panel-settings" data-testid="panel-settings" aria-labelledby="tab-settings" hidden>
${renderSettings(view)}
  </section>
</main>
<script type="application/json" id="console-state">${jsonForScript(state)}</script>`, { script: true });
}
