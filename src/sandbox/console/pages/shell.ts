// The signed-in shell: who you are as GET /api/v1/session says, two tabs, and the state the
// client script starts from.
import { renderErrorBanner } from './banner.ts';
import { esc, jsonForScript, layout } from './html.ts';
import { renderOverview } from './overview.ts';
import { renderSettings } from './settings.ts';
import type { ShellView } from './view-model.ts';

function userLabel(view: ShellView): string {
  const s = view.session;
  if (!s) return view.fallbackUser;
  if (s.display_name && s.email) return `${s.display_name} (${s.email})`;
  return s.display_name ?? s.email ?? view.fallbackUser;
}

export function renderShell(view: ShellView): string {
  const s = view.session;
  const state = {
    role: s?.role ?? null,
    settingsStateLocal: view.faults.settingsStateLocal,
    snapshot: view.snapshot,
  };
  return layout('onramp console', `<header class="shell-header">
  <span class="brand">Platform console</span>
  <span class="who">
    <span data-testid="shell-user">${esc(userLabel(view))}</span>
    <span class="pill" data-testid="shell-role">${esc(s ? (s.role ?? 'none') : 'unknown')}</span>
    <span class="ctx">tenant <code data-testid="shell-tenant">${esc(s?.tenant_id ?? 'none')}</code></span>
    <span class="ctx">project <code data-testid="shell-project">${esc(s?.project_id ?? 'none')}</code></span>
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
