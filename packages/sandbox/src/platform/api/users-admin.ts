// DELETE /api/v1/admin/users/{user_id}: the cleanup path for synthetic self-signups. The user goes
// with its personal org (tenant, projects, memberships and posix identity by SQL cascade) and its
// Keycloak user.
import type { Router } from '../http/router.ts';
import type { ApiHandler } from '../http/request.ts';
import { authenticate } from '../http/auth.ts';
import { conflict, notFound } from '../http/errors.ts';
import { inTransaction } from '../db.ts';
import { requireSystemAdmin } from '../authz.ts';
import { callKeycloak, keycloakAdmin, keycloakStatus } from '../keycloak.ts';
import { deleteOrg, deleteUser, otherUsersInOrg, userById } from '../repo/users.ts';
import { writeAudit } from '../repo/audit-write.ts';

const removeUser: ApiHandler = async (r) => {
  const p = await authenticate(r);
  requireSystemAdmin(p);
  const ctx = r.platform;
  const userId = r.params.user_id!;
  const user = await userById(ctx.pool, userId);
  if (!user) throw notFound('User');
  // Platform operators are seeded from configuration; removing one here would lock them out.
  if (user.is_system_admin) throw conflict('user_is_system_admin', 'System admins are not removed through this endpoint.');
  // Keycloak first and outside any transaction: on the embedded database the IdP shares the one
  // connection a transaction would hold. If Keycloak fails nothing is removed; if the SQL part
  // fails after it, a retry finds Keycloak's 404 and finishes the platform side.
  if (user.idp_subject) {
    const kc = await keycloakAdmin(ctx);
    try {
      await callKeycloak(ctx, 'delete user', () => kc.users.del({ id: user.idp_subject! }));
    } catch (err) {
      if (keycloakStatus(err) !== 404) throw err;
    }
  }
  await inTransaction(ctx.pool, async (db) => {
    const removesOrg = user.org_kind === 'personal' && (await otherUsersInOrg(db, user.org_id, user.id)) === 0;
    if (removesOrg) await deleteOrg(db, user.org_id);
    else await deleteUser(db, user.id);
    await writeAudit(db, {
      action: 'user.delete', actorId: p.userId, targetId: user.id, correlationId: r.correlationId,
      payload: { email: user.email, org_id: user.org_id, org_removed: removesOrg, idp_subject: user.idp_subject },
    });
  });
  return { status: 204 };
};

export function registerUsersAdmin(router: Router<ApiHandler>): void {
  router.add('DELETE', '/api/v1/admin/users/:user_id', removeUser);
}
