// The runbook's diagnostic checklist over the collected evidence. Each item says ok, failed or
// unknown (null) with what it saw; a failed item names the failure code of its symptom, so an id
// brought from an incident, with no journey behind it, is classified by what the evidence shows.
// The envelope's code is the platform's: it decides which check applies, and the item names the
// catalogue's code for what it shows.
import type { AuditRow, ChecklistItem, EnvelopeEvidence, ScopeSnapshot, Section } from './evidence.ts';

export type { ChecklistItem } from './evidence.ts';

const SIGNUP = /^\/api\/v1\/auth\/personal\/signup$/;
const TENANT_USER_CREATE = /^\/api\/v1\/admin\/tenants\/[^/]+\/users$/;
const PROJECT_SCOPED = /^\/api\/v1\/instances(\/|$)/;

export function runChecklist(e: { envelope: Section<EnvelopeEvidence>; logLines: Record<string, unknown>[]; scope?: ScopeSnapshot; audit?: AuditRow[]; correlationId: string | null }): ChecklistItem[] {
  const items: ChecklistItem[] = [];
  const line = e.logLines.find((l) => typeof l.path === 'string');
  const req = e.envelope.available ? e.envelope.request : undefined;
  const method = String(line?.method ?? req?.method ?? '');
  const path = String(line?.path ?? (req ? new URL(req.url, 'http://x').pathname : ''));
  const status = Number(line?.status ?? req?.status ?? 0);
  const envCode = e.envelope.available ? e.envelope.code : undefined;
  const body = e.envelope.available ? (e.envelope.body as Record<string, unknown> | undefined) : undefined;

  if (status >= 400 && body && typeof body === 'object') {
    const ok = typeof body.correlation_id === 'string' && body.correlation_id !== '';
    items.push({ check: 'error envelope carries correlation_id', ok, detail: ok ? String(body.correlation_id) : 'no correlation_id in the error body', ...(ok ? {} : { code: 'error_envelope_missing_correlation_id' }) });
  }
  if (PROJECT_SCOPED.test(path) || req?.project_id_sent !== undefined) {
    const sent = req?.project_id_sent ?? null;
    if (status === 400 && envCode === 'invalid_request') {
      items.push(sent
        ? { check: 'project-scoped request: X-Project-ID sent yet 400 invalid_request', ok: false, detail: `X-Project-ID: ${req?.project_id} was sent`, code: 'project_context_required_despite_header' }
        : { check: 'project-scoped request: X-Project-ID present', ok: sent === null ? null : false, detail: sent === null ? 'request headers are not in the API log; ask the user or check the client' : 'X-Project-ID was not sent', code: 'project_context_missing' });
    } else if (status === 403 && (envCode === 'membership_denied' || envCode === 'ownership_denied')) {
      items.push({ check: 'project-scoped request: active membership', ok: false, detail: `403 ${envCode}`, code: 'membership_missing' });
    } else if (status > 0 && status < 400 && req?.project_id && e.scope) {
      // Allowed in a project where the caller's only membership is soft-deleted: authorization counted it.
      const rows = e.scope.project_memberships.filter((m) => m.project_id === req.project_id);
      const removed = rows.length > 0 && !rows.some((m) => m.active);
      items.push({ check: 'project-scoped request allowed: the caller is an active member', ok: !removed, detail: removed ? `${status} in project ${req.project_id}, whose membership of the caller is soft-deleted` : `${rows.filter((m) => m.active).length} active membership row(s) in project ${req.project_id}`, ...(removed ? { code: 'deleted_membership_grants_access' } : {}) });
    }
  }
  const s = e.scope;
  if (SIGNUP.test(path) && method === 'POST') {
    items.push({ check: 'signup returns 201', ok: status === 201, detail: `status ${status}`, ...(status === 201 ? {} : { code: 'signup_failed' }) });
    if (s) {
      const dp = s.default_projects.length > 0 && s.default_projects.every((d) => d.active_member);
      items.push({ check: 'personal bootstrap: default project with an active membership', ok: dp, detail: JSON.stringify(s.default_projects), ...(dp ? {} : { code: 'signup_missing_default_project' }) });
      items.push({ check: 'personal bootstrap: user_posix_identities row', ok: s.posix_identity !== null, detail: s.posix_identity ? `uid ${s.posix_identity.uid}` : 'no row', ...(s.posix_identity ? {} : { code: 'posix_identity_missing' }) });
    }
  }
  if (TENANT_USER_CREATE.test(path) && method === 'POST' && status === 201) {
    if (s) {
      const tm = s.tenant_memberships.some((m) => m.active);
      const dp = s.default_projects.length > 0 && s.default_projects.every((d) => d.active_member);
      items.push({ check: 'admin-created user: tenant membership + default project membership', ok: tm && dp, detail: `active tenant memberships ${s.tenant_memberships.filter((m) => m.active).length}; default projects ${JSON.stringify(s.default_projects)}`, ...(tm && dp ? {} : { code: 'membership_missing' }) });
    }
    if (e.audit) {
      // A row under another id (an audit API that ignored the filter) is another request's evidence.
      const creates = e.audit.filter((r) => r.action === 'user.create');
      const ok = creates.some((r) => r.correlation_id === e.correlationId);
      const others = creates.map((r) => r.correlation_id ?? 'null').join(', ');
      items.push({ check: 'user.create audit row with the same correlation_id', ok, detail: ok ? 'present' : `no user.create row with correlation_id ${e.correlationId}${others ? ` (rows under correlation_id ${others})` : ''}`, ...(ok ? {} : { code: 'audit_missing_correlation' }) });
    }
  }
  if (s) {
    const deleted = [...s.tenant_memberships, ...s.project_memberships].filter((m) => !m.active).length;
    items.push({ check: 'membership state: only active rows (deleted_at IS NULL) count', ok: null, detail: `${deleted} soft-deleted membership row(s) shown for contrast; authorization must ignore them` });
  }
  return items;
}

/** The code a checklist names: the first failed item's. */
export const checklistCode = (items: ChecklistItem[]) => items.find((i) => i.ok === false && i.code)?.code;
