// evidence.md: the bundle as a page to paste into an incident ticket, in the runbook's order:
// symptom and classification, fast triage (envelope, project context, logs, scope records,
// bootstrap artifacts), diagnostic checklist, recovery action, required incident evidence.
import type { Evidence, MembershipRow, Section } from './evidence.ts';

const code = (v: unknown) => `\`${String(v).replace(/`/g, "'")}\``;
const cell = (v: unknown) => (v === null || v === undefined ? '' : String(typeof v === 'object' ? JSON.stringify(v) : v).replace(/\|/g, '\\|').replace(/\n/g, ' '));
const table = (head: string[], rows: unknown[][]) => (rows.length ? [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n') : '_none_');
const na = (s: Section<object>) => (s.available ? '' : `_unavailable: ${s.reason}_`);
const memberships = (rows: MembershipRow[], scope: 'tenant_id' | 'project_id') =>
  table([scope, 'role', 'state', 'deleted_at', ...(scope === 'project_id' ? ['default'] : [])], rows.map((m) => [m[scope], m.role, m.active ? 'active' : 'soft-deleted', m.deleted_at ?? '', ...(scope === 'project_id' ? [m.is_default ? 'yes' : ''] : [])]));

export function renderMarkdown(e: Evidence): string {
  const c = e.classification;
  const out: string[] = [];
  const f = e.failures[0];
  out.push(`# Incident evidence: correlation_id ${e.correlation_id ? code(e.correlation_id) : '(none)'}`, '');
  out.push(`Collected ${e.created_at} by onramp ${e.source === 'run' ? `run ${e.run_id ?? ''}` : 'triage'} against ${code(e.target.name)} (${e.target.api_url}).`, '');
  out.push('## Symptom', '');
  out.push(`- **Symptom:** ${c.symptom}`, `- **Error code:** ${code(c.code)}${!c.known ? ' (no runbook entry)' : c.reported_as ? ` (the platform's ${code(c.reported_as)})` : ''}`, `- **Likely cause:** ${c.cause}`, `- **Owning team:** ${c.owner}`, `- **Source:** ${c.source}`);
  if (f?.journey) out.push(`- **Failed step:** ${f.journey} > ${f.step}${f.step_id ? ` (\`${f.step_id}\`)` : ''}${f.message ? `: ${f.message}` : ''}`);
  if (f && f.expected !== undefined) out.push(`- **Expected:** ${code(cell(f.expected))}`, `- **Actual:** ${code(cell(f.actual))}`);
  if (e.reproduces !== null) out.push(`- **Symptom shows in the current state:** ${e.reproduces ? 'yes' : 'no'}`);
  out.push('', '## Fast triage (correlation-first)', '', '### 1. Error envelope and project context', '');
  if (e.envelope.available) {
    const env = e.envelope;
    out.push(`- code: ${env.code ? code(env.code) : '_none_'}`, `- message: ${env.message ?? '_none_'}`, `- correlation_id: ${env.correlation_id ? code(env.correlation_id) : '_missing from the envelope_'}`);
    if (env.request) {
      const r = env.request;
      out.push(`- request: ${code(`${r.method} ${r.url}`)}${r.status ? ` -> ${r.status}` : ''}`, `- X-Project-ID sent: ${r.project_id_sent === null ? '_unknown (request headers not recorded at this source)_' : r.project_id_sent ? `yes, ${code(r.project_id)}` : 'no'}`);
      if (r.headers) out.push(`- request headers (redacted): ${code(JSON.stringify(r.headers))}`);
    }
    if (env.body !== undefined) out.push('', '```json', JSON.stringify(env.body, null, 2), '```');
  } else out.push(na(e.envelope));
  out.push('', '### 2. Log lookup by correlation_id', '', '```logql', e.logs.query, '```');
  if (e.logs.grafana_url) out.push('', `[Open in Grafana Explore](${e.logs.grafana_url})`);
  out.push('');
  if (e.logs.lines.available) {
    out.push(`${e.logs.lines.lines.length} line(s) from ${e.logs.lines.from}:`, '', '```json', ...e.logs.lines.lines.map((l) => JSON.stringify(l)), '```');
  } else out.push(na(e.logs.lines));
  if (e.browser) {
    // The evidence a browser failure leaves, relative to this file: bundles sit in <output>/evidence/<id>/.
    const b = e.browser;
    const file = (p: string | null) => (p ? `[${p}](../../${p.split('\\').join('/')})` : '_none_');
    out.push('', '### Browser step', '', `- signed in as: ${b.signed_in_as ? code(b.signed_in_as) : '_not signed in (no step signed in before it failed)_'}`, `- screenshot: ${file(b.screenshot)}`, `- trace: ${file(b.trace)}${b.trace ? ` (open with \`npx playwright show-trace ${b.trace}\`)` : ''}`, `- page's last platform correlation_id: ${b.last_correlation_id ? code(b.last_correlation_id) : '_none: the page got no platform answer during the step_'}`, `- X-Request-ID sent by onramp with its navigations (onramp's id, not the target's): ${b.request_id ? code(b.request_id) : '_none_'}`);
  }
  const signedIn = e.browser?.signed_in_as ? `; signed in to the browser as ${code(e.browser.signed_in_as)}` : '';
  out.push('', '### 3. User scope records (DB)', '', `User: ${e.user.id ? code(e.user.id) : '_unresolved_'} (from ${e.user.resolved_from})${signedIn}`, '');
  if (e.db.available) {
    const d = e.db;
    out.push(`Snapshot taken ${d.taken_at}.`, '', `- users.org_id: ${d.user ? code(d.user.org_id) : '_no users row_'}`, '', '**tenant_memberships** (active and soft-deleted)', '', memberships(d.tenant_memberships, 'tenant_id'), '', '**project_memberships** (active and soft-deleted)', '', memberships(d.project_memberships, 'project_id'));
    out.push('', '### 4. Onboarding bootstrap artifacts', '', '**default project per tenant**', '', table(['tenant_id', 'default project', 'active member'], d.default_projects.map((p) => [p.tenant_id, p.project_id ?? 'none', p.active_member ? 'yes' : 'NO'])));
    out.push('', `- user_posix_identities: ${d.posix_identity ? `uid ${d.posix_identity.uid}, gid ${d.posix_identity.gid}, ${code(d.posix_identity.username)}` : '**missing** (required on the self-signup path)'}`);
  } else out.push(na(e.db));
  out.push('', '## Diagnostic checklist', '', table(['check', 'result', 'seen', 'code'], e.checklist.map((i) => [i.check, i.ok === null ? 'n/a' : i.ok ? 'ok' : 'FAILED', i.detail, i.code ?? ''])));
  out.push('', '## Recovery action', '', c.action, '');
  if (e.retest) out.push(`Re-test: journey ${code(e.retest.journey)} ${e.retest.status}; new correlation ids: ${e.retest.correlation_ids.map(code).join(', ') || '_none_'}`, '');
  out.push('## Required incident evidence', '', '- User-facing error envelope: see Fast triage 1.', '- API log excerpts filtered by correlation_id: see Fast triage 2.');
  out.push('', '### Membership state before/after mitigation', '');
  if (e.compare) {
    out.push(`Before: ${e.compare.before_taken_at} (${e.compare.before}); after: ${e.compare.after_taken_at}.`, '', table(['table', 'row', 'change', 'before', 'after'], e.compare.changes.map((x) => [x.table, x.id, x.what, x.before, x.after])));
    out.push('', '**Privileged mutations in the audit log between the two**', '', table(['created_at', 'action', 'actor', 'target', 'correlation_id'], e.compare.privileged_mutations.map((a) => [a.created_at, a.action, a.actor_id, a.target_id, a.correlation_id])));
  } else out.push('This bundle is one snapshot (above). Take one before mitigation with `onramp triage <id> --snapshot` and compare after it with `--compare <bundle>`.');
  out.push('', '### Audit evidence', '');
  if (e.audit.available) out.push(`Rows with this correlation_id (via ${e.audit.via}):`, '', table(['created_at', 'action', 'actor', 'target', 'payload'], e.audit.rows.map((a) => [a.created_at, a.action, a.actor_id, a.target_id, a.payload])));
  else out.push(na(e.audit));
  out.push('', '### Keycloak', '');
  if (e.keycloak.available) {
    const k = e.keycloak;
    if (!k.exists) out.push('**No Keycloak user** behind this platform user.');
    else out.push(`- user ${code(k.username)} (${k.id}), enabled: ${k.enabled}, email: ${k.email ?? ''}`, `- attributes: ${code(JSON.stringify(k.attributes))}`, `- required actions: ${k.required_actions?.length ? k.required_actions.join(', ') : 'none'}${k.update_password_pending ? ' (temporary password: UPDATE_PASSWORD pending)' : ''}`, `- sessions: ${k.sessions?.length ?? 0}`);
    if (k.verify) out.push(k.verify.available ? `- verify (drift report): in_sync ${k.verify.in_sync}\n\n${table(['check', 'expected', 'actual', 'ok'], ((k.verify.checks as { name: string; expected: unknown; actual: unknown; ok: boolean }[]) ?? []).map((x) => [x.name, x.expected, x.actual, x.ok]))}` : `- verify: ${na(k.verify)}`);
  } else out.push(na(e.keycloak));
  return `${out.join('\n')}\n`;
}
