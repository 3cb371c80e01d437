// The SQL half of a personal signup (runbook, "Confirm onboarding bootstrap artifacts exist"): org,
// personal tenant, user, tenant membership, default project with its owner, runtime identity and
// the audit row, all inside the caller's unit of work. The two signup faults leave out exactly
// the artifacts the runbook's triage looks for.
import type { Db } from '../db.ts';
import type { FaultSet } from '../../faults/fault-set.ts';
import { insertProject, insertProjectMember } from './projects.ts';
import { writeAudit } from './audit-write.ts';

export interface PersonalSignup {
  orgId: string;
  tenantId: string;
  projectId: string;
  userId: string;
  email: string;
  displayName: string;
  idpSubject: string;
  tenantSlug: string;
  correlationId: string;
}

export interface BootstrapResult {
  defaultProjectId: string | null;
  posixUsername: string | null;
}

export const DEFAULT_PROJECT_NAME = 'Default project';

export async function bootstrapPersonalUser(db: Db, s: PersonalSignup, faults: FaultSet): Promise<BootstrapResult> {
  await db.query(`INSERT INTO platform.orgs (id, name, kind) VALUES ($1, $2, 'personal')`, [s.orgId, `${s.displayName} (personal)`]);
  await db.query('INSERT INTO platform.tenants (id, org_id, slug, name) VALUES ($1, $2, $3, $4)', [s.tenantId, s.orgId, s.tenantSlug, `${s.displayName}'s workspace`]);
  await db.query(
    'INSERT INTO platform.users (id, org_id, email, display_name, idp_subject) VALUES ($1, $2, $3, $4, $5)',
    [s.userId, s.orgId, s.email, s.displayName, s.idpSubject],
  );
  await db.query(
    `INSERT INTO platform.tenant_memberships (id, user_id, tenant_id, role) VALUES (gen_random_uuid(), $1, $2, 'tenant_admin')`,
    [s.userId, s.tenantId],
  );
  let defaultProjectId: string | null = null;
  if (!faults.isOn('signup_skips_default_project')) {
    await insertProject(db, { id: s.projectId, tenantId: s.tenantId, name: DEFAULT_PROJECT_NAME, isDefault: true });
    await insertProjectMember(db, { projectId: s.projectId, userId: s.userId, role: 'owner' });
    defaultProjectId = s.projectId;
  }
  let posixUsername: string | null = null;
  if (!faults.isOn('signup_skips_posix_identity')) {
    posixUsername = await freePosixUsername(db, s.email);
    // gid = uid: every personal user gets its own primary group.
    await db.query(
      `INSERT INTO platform.user_posix_identities (user_id, uid, gid, username)
       SELECT $1, v.uid, v.uid, $2 FROM (SELECT nextval('platform.posix_uid_seq')::int AS uid) v`,
      [s.userId, posixUsername],
    );
  }
  await writeAudit(db, {
    action: 'user.signup',
    actorId: s.userId,
    targetId: s.userId,
    tenantId: s.tenantId,
    correlationId: s.correlationId,
    payload: { email: s.email, org_id: s.orgId, tenant_id: s.tenantId, project_id: defaultProjectId, idp_subject: s.idpSubject, posix_username: posixUsername },
  });
  return { defaultProjectId, posixUsername };
}

/** `alice.smith+x@example.com` -> `alice-smith-x`: the email's local part as a slug. */
export function slugBase(email: string): string {
  const local = email.split('@')[0] ?? '';
  const slug = local.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return slug || 'user';
}

/** A POSIX-portable login name (lower case, starts with a letter, at most 32 characters). */
export function posixBase(email: string): string {
  const local = (email.split('@')[0] ?? '').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  const name = /^[a-z]/.test(local) ? local : `u${local}`;
  return name.slice(0, 24);
}

/** The first free tenant slug among base, base-2, base-3, ... */
export async function freeTenantSlug(db: Db, email: string): Promise<string> {
  const base = slugBase(email);
  const { rows } = await db.query(`SELECT lower(slug) AS slug FROM platform.tenants WHERE deleted_at IS NULL AND (lower(slug) = $1 OR lower(slug) LIKE $1 || '-%')`, [base]);
  return firstFree(base, '-', new Set(rows.map((r) => r.slug)));
}

async function freePosixUsername(db: Db, email: string): Promise<string> {
  const base = posixBase(email);
  const { rows } = await db.query(`SELECT username FROM platform.user_posix_identities WHERE username = $1 OR username LIKE $1 || '%'`, [base]);
  return firstFree(base, '', new Set(rows.map((r) => r.username)));
}

function firstFree(base: string, sep: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}${sep}${n}`)) return `${base}${sep}${n}`;
}
