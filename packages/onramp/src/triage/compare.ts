// Membership state before and after mitigation: what changed between two snapshots of the same
// user's scope records, row by row, and the privileged mutations the audit log holds in between.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditRow, CompareEvidence, Evidence, MembershipRow, ScopeSnapshot } from './evidence.ts';

/** The earlier evidence, from a bundle folder, its evidence.json or its snapshot.json. */
export async function loadBefore(path: string): Promise<Evidence> {
  const isDir = await stat(path).then((s) => s.isDirectory());
  const file = isDir ? ((await stat(join(path, 'snapshot.json')).then(() => true, () => false)) ? join(path, 'snapshot.json') : join(path, 'evidence.json')) : path;
  let e: Evidence;
  try {
    e = JSON.parse(await readFile(file, 'utf8')) as Evidence;
  } catch (err) {
    if (err instanceof SyntaxError) throw new Error(`${file} is not JSON (${err.message})`, { cause: err });
    throw err;
  }
  if (e?.version !== 1 || !e.db) throw new Error(`${file} is not an onramp evidence bundle (evidence.json or snapshot.json)`);
  if (!e.db.available) throw new Error(`${file} holds no database snapshot (${e.db.reason})`);
  return e;
}

function diffRows(table: string, before: MembershipRow[], after: MembershipRow[]): CompareEvidence['changes'] {
  const out: CompareEvidence['changes'] = [];
  const state = (m: MembershipRow) => ({ role: m.role, active: m.active, deleted_at: m.deleted_at });
  for (const a of after) {
    const b = before.find((x) => x.id === a.id);
    if (!b) out.push({ table, id: a.id, what: a.active ? 'added (active)' : 'added (soft-deleted)', before: null, after: { ...(a.project_id ? { project_id: a.project_id } : { tenant_id: a.tenant_id }), ...state(a) } });
    else if (JSON.stringify(state(a)) !== JSON.stringify(state(b))) out.push({ table, id: a.id, what: !b.active && a.active ? 'restored' : b.active && !a.active ? 'soft-deleted' : 'changed', before: state(b), after: state(a) });
  }
  for (const b of before) if (!after.some((a) => a.id === b.id)) out.push({ table, id: b.id, what: 'removed', before: state(b), after: null });
  return out;
}

export function compareSnapshots(beforePath: string, before: ScopeSnapshot, after: ScopeSnapshot, mutations: AuditRow[]): CompareEvidence {
  const changes = [...diffRows('tenant_memberships', before.tenant_memberships, after.tenant_memberships), ...diffRows('project_memberships', before.project_memberships, after.project_memberships)];
  if (JSON.stringify(before.posix_identity) !== JSON.stringify(after.posix_identity)) changes.push({ table: 'user_posix_identities', id: before.user?.id ?? after.user?.id ?? '?', what: before.posix_identity ? 'changed' : 'added', before: before.posix_identity, after: after.posix_identity });
  if (before.user?.org_id !== after.user?.org_id) changes.push({ table: 'users', id: after.user?.id ?? '?', what: 'org_id changed', before: before.user?.org_id ?? null, after: after.user?.org_id ?? null });
  // A verification is recorded in the audit log but changes nothing (triage itself runs one).
  const privileged = mutations.filter((m) => m.action !== 'user.verify');
  return { before: beforePath, before_taken_at: before.taken_at, after_taken_at: after.taken_at, changes, privileged_mutations: privileged };
}
