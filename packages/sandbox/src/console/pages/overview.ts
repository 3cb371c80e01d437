// The Overview tab: the authenticated context as the platform reports it.
import { esc } from './html.ts';
import { scopeNames, type ShellView } from './view-model.ts';

function projectRows(projects: unknown[] | undefined): string {
  if (!projects?.length) return '<p class="empty">No projects yet.</p>';
  const rows = projects.map((p) => {
    const o = (typeof p === 'object' && p ? p : { id: p }) as Record<string, unknown>;
    return `<tr><td>${esc(o.name ?? '')}</td><td><code>${esc(o.id ?? o.project_id ?? '')}</code></td><td>${o.is_default ? 'yes' : 'no'}</td></tr>`;
  });
  return `<table class="list"><thead><tr><th>Project</th><th>Id</th><th>Default</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** A name first, its id secondary. */
const named = (x: { id: string; name: string } | undefined) => (x ? `${esc(x.name)} <code class="id">${esc(x.id)}</code>` : 'none');

export function renderOverview(view: ShellView): string {
  const s = view.session;
  if (!s) return '<p class="empty">The platform did not return your session; see the error above.</p>';
  const scope = scopeNames(s);
  return `<dl class="facts">
  <dt>User</dt><dd>${esc(s.display_name ?? '')} <code>${esc(s.user_id ?? '')}</code></dd>
  <dt>Email</dt><dd>${esc(s.email ?? '')}</dd>
  <dt>Organisation</dt><dd><code>${esc(s.org_id ?? 'none')}</code></dd>
  <dt>Tenant</dt><dd>${named(scope.tenant)}</dd>
  <dt>Project</dt><dd>${named(scope.project)}</dd>
</dl>
<h2>Projects</h2>
${projectRows(s.projects)}`;
}
