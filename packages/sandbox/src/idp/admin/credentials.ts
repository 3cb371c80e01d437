// A user's password: PUT users/{id}/reset-password and GET users/{id}/credentials.
import { setUserPassword } from '../users.ts';
import { can, requirePermission } from './auth.ts';
import { credentialRep } from './representation.ts';
import { AdminError, sendNoContent, sendOk } from './respond.ts';
import { targetUser, type AdminRoute } from './request.ts';
import { readCredentialInput } from './user-input.ts';
import { CREDENTIAL_REPRESENTATION } from './json-binding.ts';

export const credentialRoutes: AdminRoute[] = [
  {
    method: 'PUT',
    path: 'users/:id/reset-password',
    body: { object: CREDENTIAL_REPRESENTATION },
    async handle(r) {
      const user = await targetUser(r);
      requirePermission(can.manageUsers(r.caller));
      const cred = await readCredentialInput(r);
      const result = await setUserPassword(r.ctx.store, r.rt, user, cred.value, cred.temporary === true);
      if (!result.ok) throw new AdminError(result.error.status, result.error.body);
      sendNoContent(r.res);
    },
  },
  {
    method: 'GET',
    path: 'users/:id/credentials',
    async handle(r) {
      const user = await targetUser(r);
      requirePermission(can.viewUsers(r.caller));
      const password = await r.ctx.store.getPassword(user.id);
      sendOk(r.res, password ? [credentialRep(password)] : []);
    },
  },
];
