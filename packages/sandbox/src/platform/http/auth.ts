// Bearer tokens are the IdP's (verified against its JWKS); who the caller is and what they may do
// comes from the platform's own records, never from token claims.
import { jwtVerify, type JWTPayload } from 'jose';
import type { ApiRequest } from './request.ts';
import { unauthorized } from './errors.ts';
import { provisionSystemAdmin } from '../bootstrap.ts';

export interface Principal {
  userId: string;
  orgId: string;
  email: string;
  displayName: string;
  isSystemAdmin: boolean;
  idpSubject: string;
}

export async function authenticate(r: ApiRequest): Promise<Principal> {
  if (r.principal) return r.principal;
  const m = /^Bearer\s+(\S+)$/i.exec(r.header('authorization') ?? '');
  if (!m) throw unauthorized('Authorization header with a bearer token is required.');
  let token: JWTPayload;
  try {
    ({ payload: token } = await jwtVerify(m[1]!, r.platform.jwks, { issuer: r.platform.issuer }));
    if (token.typ !== undefined && token.typ !== 'Bearer') throw new Error('not an access token');
  } catch {
    throw unauthorized('The bearer token is invalid or expired.');
  }
  const find = () =>
    r.platform.pool.query('SELECT id, org_id, email, display_name, is_system_admin, idp_subject FROM platform.users WHERE idp_subject = $1', [token.sub]);
  let { rows } = await find();
  if (!rows[0] && (await provisionSystemAdmin(r.platform, token))) ({ rows } = await find());
  const u = rows[0];
  if (!u) throw unauthorized('The token belongs to no platform user.');
  r.principal = { userId: u.id, orgId: u.org_id, email: u.email, displayName: u.display_name, isSystemAdmin: u.is_system_admin, idpSubject: u.idp_subject };
  return r.principal;
}
