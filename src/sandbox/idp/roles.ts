// Effective roles: a user's direct realm and client role mappings with composites expanded, the way
// Keycloak computes realm_access and resource_access and the role-mappings/.../composite endpoints.
import type { Realm, RoleDef } from './realm/model.ts';
import type { StoredUser } from './store/types.ts';

export interface EffectiveRoles {
  realm: string[];
  /** clientId -> role names */
  client: Record<string, string[]>;
}

export function roleByRef(realm: Realm, ref: string): { role: RoleDef; clientId?: string } | undefined {
  if (ref.startsWith('realm:')) {
    const role = realm.realmRoles.find((r) => r.name === ref.slice(6));
    return role && { role };
  }
  const [, clientId, name] = ref.split(':');
  const client = realm.clients.find((c) => c.clientId === clientId);
  const role = client?.roles.find((r) => r.name === name);
  return role && { role, clientId };
}

export function effectiveRoles(realm: Realm, user: Pick<StoredUser, 'realmRoles' | 'clientRoles'>): EffectiveRoles {
  const seen = new Set<string>();
  const queue = [
    ...user.realmRoles.map((n) => `realm:${n}`),
    ...Object.entries(user.clientRoles).flatMap(([cid, names]) => names.map((n) => `client:${cid}:${n}`)),
  ];
  while (queue.length) {
    const ref = queue.shift()!;
    if (seen.has(ref)) continue;
    seen.add(ref);
    const found = roleByRef(realm, ref);
    if (found) queue.push(...found.role.composites);
  }
  const out: EffectiveRoles = { realm: [], client: {} };
  for (const ref of seen) {
    if (ref.startsWith('realm:')) out.realm.push(ref.slice(6));
    else {
      const [, cid, name] = ref.split(':') as [string, string, string];
      (out.client[cid] ??= []).push(name);
    }
  }
  return out;
}
