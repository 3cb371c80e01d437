// Realm roles: GET roles (with search/first/max) and GET roles/{name}.
import { can, requirePermission } from './auth.ts';
import { byName, roleRep } from './representation.ts';
import { ERRORS, sendOk } from './respond.ts';
import type { AdminRoute } from './request.ts';
import { page } from './user-search.ts';

export const roleRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: 'roles',
    async handle(r) {
      requirePermission(can.listRealmRoles(r.caller));
      const search = r.url.searchParams.get('search')?.toLowerCase();
      const roles = r.rt.realm.realmRoles.filter((x) => !search || x.name.toLowerCase().includes(search)).sort(byName);
      // briefRepresentation defaults to true for role lists; false adds `attributes`.
      const full = r.url.searchParams.get('briefRepresentation') === 'false';
      sendOk(r.res, page(roles, r.url.searchParams).map((x) => roleRep(x, full)));
    },
  },
  {
    method: 'GET',
    path: 'roles/:name',
    async handle(r) {
      requirePermission(can.listRealmRoles(r.caller));
      const role = r.rt.realm.realmRoles.find((x) => x.name === r.params.name);
      if (!role) throw ERRORS.roleNotFound();
      sendOk(r.res, roleRep(role, true));
    },
  },
];
