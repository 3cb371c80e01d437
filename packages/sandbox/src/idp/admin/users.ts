// /admin/realms/{realm}/users: create, search, count, read, update, delete.
import type { StoredUser } from '../store/types.ts';
import { createUser, toBriefUserRepresentation, toUserRepresentation, updateUser, type UserAccess } from '../users.ts';
import { can, requirePermission, type AdminCaller } from './auth.ts';
import { AdminError, sendCreated, sendNoContent, sendOk } from './respond.ts';
import { targetUser, type AdminRoute } from './request.ts';
import { readUserInput } from './user-input.ts';
import { USER_REPRESENTATION } from './json-binding.ts';
import { matchUsers, page, parseUserQuery } from './user-search.ts';
import { endUserSessions } from './sessions.ts';

/** The `access` map of a single user, as UserPermissions.getAccess fills it. */
export function userAccess(c: AdminCaller): UserAccess {
  const manage = can.manageUsers(c);
  return {
    manageGroupMembership: manage,
    resetPassword: manage,
    view: can.viewUsers(c),
    mapRoles: manage,
    impersonate: manage && can.impersonate(c),
    manage,
  };
}

export const userRoutes: AdminRoute[] = [
  {
    method: 'POST',
    path: 'users',
    body: { object: USER_REPRESENTATION },
    async handle(r) {
      requirePermission(can.manageUsers(r.caller));
      const input = await readUserInput(r);
      const result = await createUser(r.ctx.store, r.rt, input);
      if (!result.ok) throw new AdminError(result.error.status, result.error.body);
      sendCreated(r.res, `${r.publicUrl}/admin/realms/${encodeURIComponent(r.rt.realm.name)}/users/${result.value.id}`);
    },
  },
  {
    method: 'GET',
    path: 'users',
    async handle(r) {
      requirePermission(can.queryUsers(r.caller));
      // UsersResource#toRepresentation: without view-users a caller sees only the users its group
      // permissions let it view (UserPermissions.canView(user)); without fine-grained permissions
      // that is none, so a query-users-only caller gets an empty list.
      if (!can.viewUsers(r.caller)) return sendOk(r.res, []);
      const found = page(matchUsers(await r.ctx.store.listUsers(r.rt.realm.name), parseUserQuery(r.url.searchParams)), r.url.searchParams);
      const brief = r.url.searchParams.get('briefRepresentation') === 'true';
      // Lists carry only `manage` in `access` (getAccessForListing).
      const access = { manage: can.manageUsers(r.caller) };
      sendOk(r.res, found.map((u) => (brief ? toBriefUserRepresentation(r.rt.realm, u, access) : toUserRepresentation(r.rt.realm, u, access))));
    },
  },
  {
    method: 'GET',
    path: 'users/count',
    async handle(r) {
      requirePermission(can.queryUsers(r.caller));
      // UsersResource#getUsersCount: without view-users it counts the members of the groups it may
      // view (JpaUserProvider.getUsersCount with no group ids: 0).
      if (!can.viewUsers(r.caller)) return sendOk(r.res, 0);
      const params = new URLSearchParams(r.url.searchParams);
      // users/count takes no `exact`: fields match infix, attributes exactly.
      params.delete('exact');
      sendOk(r.res, matchUsers(await r.ctx.store.listUsers(r.rt.realm.name), parseUserQuery(params)).length);
    },
  },
  {
    method: 'GET',
    path: 'users/:id',
    async handle(r) {
      const user = await targetUser(r);
      requirePermission(can.viewUsers(r.caller));
      sendOk(r.res, toUserRepresentation(r.rt.realm, user, userAccess(r.caller)));
    },
  },
  {
    method: 'PUT',
    path: 'users/:id',
    body: { object: USER_REPRESENTATION },
    async handle(r) {
      const user = await targetUser(r);
      requirePermission(can.manageUsers(r.caller));
      const result = await updateUser(r.ctx.store, r.rt, user, await readUserInput(r));
      if (!result.ok) throw new AdminError(result.error.status, result.error.body);
      sendNoContent(r.res);
    },
  },
  {
    method: 'DELETE',
    path: 'users/:id',
    async handle(r) {
      const user: StoredUser = await targetUser(r);
      requirePermission(can.manageUsers(r.caller));
      await endUserSessions(r.ctx, user.id);
      await r.ctx.store.deleteUser(r.rt.realm.name, user.id);
      sendNoContent(r.res, true);
    },
  },
];
