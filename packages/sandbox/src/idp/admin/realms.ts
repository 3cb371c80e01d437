// GET /admin/realms and GET /admin/realms/{realm}. A caller with view-realm sees the realm's
// settings; one with any other realm-management role sees only its name, as in Keycloak.
import type { RealmRuntime } from '../context.ts';
import { can, requirePermission, type AdminCaller } from './auth.ts';
import { realmRep } from './representation.ts';
import { sendOk } from './respond.ts';
import type { AdminRoute } from './request.ts';

function visibleRealm(caller: AdminCaller, rt: RealmRuntime): Record<string, unknown> | undefined {
  if (can.viewRealm(caller)) return realmRep(rt.realm);
  if (can.anyAdminRole(caller)) return { realm: rt.realm.name };
  return undefined;
}

/** The realms a caller may see: only its own, since the sandbox has no master realm. */
export function listRealms(caller: AdminCaller): Record<string, unknown>[] {
  const rep = visibleRealm(caller, caller.realm);
  requirePermission(rep !== undefined);
  return [rep!];
}

export const realmRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: '',
    async handle(r) {
      const rep = visibleRealm(r.caller, r.rt);
      requirePermission(rep !== undefined);
      sendOk(r.res, rep);
    },
  },
];
