// Platform users as the signup, session and admin-removal paths need them.
import type { Db } from '../db.ts';

export interface UserRecord {
  id: string;
  org_id: string;
  email: string;
  display_name: string;
  idp_subject: string | null;
  is_system_admin: boolean;
  org_kind: 'personal' | 'customer' | 'system';
}

export async function emailTaken(db: Db, email: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM platform.users WHERE lower(email) = lower($1)', [email]);
  return rows.length > 0;
}

/** The user with its org's kind; `forUpdate` locks the row for a removal. */
export async function userById(db: Db, id: string, forUpdate = false): Promise<UserRecord | undefined> {
  const { rows } = await db.query(
    `SELECT u.id, u.org_id, u.email, u.display_name, u.idp_subject, u.is_system_admin, o.kind AS org_kind
       FROM platform.users u JOIN platform.orgs o ON o.id = u.org_id
      WHERE u.id = $1${forUpdate ? ' FOR UPDATE OF u' : ''}`,
    [id],
  );
  return rows[0];
}

/** Other users of an org, so a personal org is removed only when it holds nobody else. */
export async function otherUsersInOrg(db: Db, orgId: string, userId: string): Promise<number> {
  const { rows } = await db.query('SELECT count(*)::int AS n FROM platform.users WHERE org_id = $1 AND id <> $2', [orgId, userId]);
  return rows[0].n;
}

export async function deleteOrg(db: Db, orgId: string): Promise<void> {
  await db.query('DELETE FROM platform.orgs WHERE id = $1', [orgId]);
}

export async function deleteUser(db: Db, userId: string): Promise<void> {
  await db.query('DELETE FROM platform.users WHERE id = $1', [userId]);
}
