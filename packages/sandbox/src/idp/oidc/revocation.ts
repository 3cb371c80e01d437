// Keycloak's token revocation (RFC 7009) for the realm's own JWTs. A refresh token ends its client's
// part of the session (and the session, once no other client is in it), so the tokens issued in it
// stop working; an access token is put on the revoked list until it expires. The caller must be the
// client the token was issued to. Success is a bare 200 with no body and no Content-Type.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdpContext, RealmRuntime } from '../context.ts';
import { CSP_HEADER, hasDuplicatedParameter, readBody, send, sendJson } from '../http.ts';
import { authenticateClient } from './client-auth.ts';
import { KC_ERRORS, oauthBody, type OAuthError } from './keycloak-texts.ts';
import { detachClient } from './sessions.ts';
import { liveToken, revokeAccessToken, verifiedAccessClaims, verifiedRefreshClaims } from './token-state.ts';
import { policyHeaders } from './header-policy.ts';

export async function handleRevocation(req: IncomingMessage, res: ServerResponse, ctx: IdpContext, rt: RealmRuntime, issuer: string) {
  const form = new URLSearchParams(await readBody(req, 256 * 1024));
  const fail = (e: OAuthError) => sendJson(res, e.status, oauthBody(e), policyHeaders('revocation', e.status === 200 ? 'invalidToken' : e.status === 401 ? 'unauthenticated' : 'error'));
  const auth = authenticateClient(rt.realm, req, form);
  if (auth.error) return fail(auth.error);
  if (hasDuplicatedParameter(form)) return fail(KC_ERRORS.duplicatedParameter);
  const token = form.get('token');
  if (token === null) return fail(KC_ERRORS.revocationNoToken);

  const claims = (await verifiedRefreshClaims(rt, issuer, token)) ?? (await verifiedAccessClaims(rt, issuer, token));
  if (!claims?.azp) return fail(KC_ERRORS.revocationInvalidToken);
  if (claims.azp !== auth.client.clientId) return fail(KC_ERRORS.revocationUnmatchingClients);
  const live = await liveToken(ctx, rt, claims);
  if (!live) return fail(KC_ERRORS.revocationInvalidToken);

  if (claims.typ === 'Refresh') {
    if (live.session) await detachClient(ctx.store, live.session, auth.client.clientId);
    else await ctx.store.oidc.destroy('RefreshToken', String(claims.rt));
  } else {
    await revokeAccessToken(ctx, claims);
  }
  send(res, 200, '', { ...CSP_HEADER, ...policyHeaders('revocation', 'ok') });
}
