// Access tokens for admin API tests, minted the way the sandbox's token endpoint shapes Keycloak's:
// RS256 with the realm's signing key, typ Bearer, realm_access/resource_access from the user's
// effective roles. Tests that need a token the realm would refuse (wrong key, expired, wrong
// issuer) say so through the overrides.
import { SignJWT, generateKeyPair, importJWK } from 'jose';
import { randomUUID } from 'node:crypto';
import type { RunningIdp } from '../../src/idp/start.ts';
import type { StoredUser } from '../../src/idp/store/types.ts';
import { effectiveRoles } from '../../src/idp/roles.ts';

export interface MintOptions {
  realm?: string;
  clientId?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  issuer?: string;
  typ?: string;
  /** The login session's sid; none by default, like a service-account token (a sid must name a live session). */
  sid?: string;
  /** Sign with a key the realm does not know. */
  foreignKey?: boolean;
  claims?: Record<string, unknown>;
}

export async function userByName(idp: RunningIdp, username: string, realm = 'sandbox'): Promise<StoredUser> {
  const user = await idp.ctx.store.findUserByUsername(realm, username);
  if (!user) throw new Error(`no user ${username} in ${realm}`);
  return user;
}

export async function mintAccessToken(idp: RunningIdp, user: StoredUser, o: MintOptions = {}): Promise<string> {
  const realmName = o.realm ?? user.realm;
  const rt = idp.ctx.realms.get(realmName);
  if (!rt) throw new Error(`no realm ${realmName}`);
  const roles = effectiveRoles(rt.realm, user);
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    exp: now + (o.expiresIn ?? 300),
    iat: now,
    jti: randomUUID(),
    iss: o.issuer ?? `${idp.url}/realms/${realmName}`,
    aud: Object.keys(roles.client).length ? Object.keys(roles.client) : 'account',
    sub: user.id,
    typ: o.typ ?? 'Bearer',
    azp: o.clientId ?? user.serviceAccountClientId ?? 'admin-cli',
    sid: o.sid,
    scope: 'email profile',
    preferred_username: user.username,
    email: user.email,
    realm_access: { roles: roles.realm },
    resource_access: Object.fromEntries(Object.entries(roles.client).map(([cid, names]) => [cid, { roles: names }])),
    ...o.claims,
  };
  const key = o.foreignKey ? (await generateKeyPair('RS256')).privateKey : await importJWK(rt.keys.signingJwk as Parameters<typeof importJWK>[0], 'RS256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: rt.keys.signingKid }).sign(key);
}

/** A token from the live token endpoint, or undefined while the endpoint is not there yet. */
export async function tokenFromEndpoint(idp: RunningIdp, form: Record<string, string>, realm = 'sandbox'): Promise<string | undefined> {
  try {
    const res = await fetch(`${idp.url}/realms/${realm}/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
    if (res.status !== 200) return undefined;
    const body = (await res.json()) as { access_token?: string };
    return body.access_token;
  } catch {
    return undefined;
  }
}
