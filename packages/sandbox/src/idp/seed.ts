// Creates the realm file's users on first start; users already stored (a restart on a persistent
// database) are left as they are, as Keycloak's import does with existing realms.
import { randomUUID } from 'node:crypto';
import type { Realm } from './realm/model.ts';
import type { IdpStore } from './store/types.ts';
import { makePasswordCredential } from './passwords.ts';

export async function seedRealmUsers(store: IdpStore, realm: Realm): Promise<void> {
  for (const seed of realm.users) {
    if (await store.findUserByUsername(realm.name, seed.username)) continue;
    const id = randomUUID();
    const temporary = seed.credentials.some((c) => c.temporary);
    await store.createUser({
      id,
      realm: realm.name,
      username: seed.username,
      email: seed.email,
      firstName: seed.firstName,
      lastName: seed.lastName,
      enabled: seed.enabled,
      emailVerified: seed.emailVerified,
      attributes: seed.attributes,
      requiredActions: [...new Set([...seed.requiredActions, ...(temporary ? ['UPDATE_PASSWORD'] : [])])],
      createdTimestamp: Date.now(),
      notBefore: 0,
      realmRoles: seed.realmRoles.length ? seed.realmRoles : [realm.defaultRoleName],
      clientRoles: seed.clientRoles,
      serviceAccountClientId: seed.serviceAccountClientId,
    });
    const password = seed.credentials[0];
    if (password) await store.setPassword(await makePasswordCredential(id, password.value));
  }
}
