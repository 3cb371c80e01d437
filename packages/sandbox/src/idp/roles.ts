// Effective roles: a user's direct realm and client role mappings with composites expanded, the way
// Keycloak computes realm_access and resource_access and the role-mappings/.../composite endpoints.
import type { ClientConfig, Realm, RoleDef } from './realm/model.ts';
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
  const seen = expand(realm, [
    ...user.realmRoles.map((n) => `realm:${n}`),
    ...Object.entries(user.clientRoles).flatMap(([cid, names]) => names.map((n) => `client:${cid}:${n}`)),
  ]);
  return grouped(seen);
}

/**
 * The roles a token of this client carries for the user. With "Full scope allowed" on (Keycloak's
 * default) every effective role; with it off only those the client's scope admits: its scope
 * mappings with composites expanded, and the client's own roles (TokenManager.getAccess).
 */
export function tokenRoles(realm: Realm, client: ClientConfig, user: Pick<StoredUser, 'realmRoles' | 'clientRoles'>): EffectiveRoles {
  const all = effectiveRoles(realm, user);
  if (client.fullScopeAllowed) return all;
  const admitted = expand(realm, [...client.scopeMappings, ...client.roles.map((r) => `client:${client.clientId}:${r.name}`)]);
  const out: EffectiveRoles = { realm: all.realm.filter((n) => admitted.has(`realm:${n}`)), client: {} };
  for (const [cid, names] of Object.entries(all.client)) {
    const kept = names.filter((n) => admitted.has(`client:${cid}:${n}`));
    if (kept.length) out.client[cid] = kept;
  }
  return out;
}

/** Role references with every composite's children added, transitively. */
function expand(realm: Realm, refs: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...refs];
  while (queue.length) {
    const ref = queue.shift()!;
    if (seen.has(ref)) continue;
    seen.add(ref);
    const found = roleByRef(realm, ref);
    if (found) queue.push(...found.role.composites);
  }
  return seen;
}

function grouped(seen: Set<string>): EffectiveRoles {
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
