// Users for tests, created straight in the IdP's store where the admin API is not what is tested.
import { randomUUID } from 'node:crypto';
import type { StoredUser } from '../../src/idp/store/types.ts';
import type { RunningIdp } from '../../src/idp/start.ts';
import { makePasswordCredential } from '../../src/idp/passwords.ts';

export function testUser(extra: Partial<StoredUser> = {}): StoredUser {
  return {
    id: randomUUID(),
    realm: 'sandbox',
    username: `test-${randomUUID().slice(0, 8)}`,
    enabled: true,
    emailVerified: false,
    attributes: {},
    requiredActions: [],
    createdTimestamp: Date.now(),
    notBefore: 0,
    realmRoles: ['default-roles-sandbox'],
    clientRoles: {},
    ...extra,
  };
}

/** Stores a sandbox-realm user with a password; returns its login. */
export async function createUserWithPassword(idp: RunningIdp, password: string, extra: Partial<StoredUser> = {}) {
  const user = testUser(extra);
  await idp.ctx.store.createUser(user);
  await idp.ctx.store.setPassword(await makePasswordCredential(user.id, password));
  return { id: user.id, username: user.username, password };
}
