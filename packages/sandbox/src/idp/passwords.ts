// Password credentials hashed the way Keycloak 26 does by default (argon2id, 5 iterations, 7 MiB,
// parallelism 1, 32-byte hash), so credentialData in the admin API reads like Keycloak's.
import { hash, verify, Algorithm } from '@node-rs/argon2';
import { randomUUID } from 'node:crypto';
import type { StoredCredential } from './store/types.ts';

const PARAMS = { algorithm: Algorithm.Argon2id, timeCost: 5, memoryCost: 7168, parallelism: 1, outputLen: 32 } as const;

export async function makePasswordCredential(userId: string, password: string): Promise<StoredCredential> {
  return { id: randomUUID(), userId, type: 'password', createdDate: Date.now(), hash: await hash(password, PARAMS) };
}

export async function checkPassword(credential: StoredCredential | undefined, password: string): Promise<boolean> {
  if (!credential) return false;
  try {
    return await verify(credential.hash, password);
  } catch {
    return false;
  }
}

/** Keycloak's credentialData JSON string for an argon2 password credential. */
export const ARGON2_CREDENTIAL_DATA = JSON.stringify({
  hashIterations: 5,
  algorithm: 'argon2',
  additionalParameters: { hashLength: ['32'], memory: ['7168'], type: ['id'], version: ['1.3'], parallelism: ['1'] },
});
