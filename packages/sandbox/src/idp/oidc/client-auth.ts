// Keycloak's client authentication at the back-channel endpoints (introspection, revocation, POST
// logout): client_secret_basic or client_secret_post for confidential clients, a bare client_id for
// public ones. Unknown or unnamed clients are `invalid_client`, known ones with a missing or wrong
// secret `unauthorized_client` (AuthorizeClientUtil), both 401 with one text.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ClientConfig, Realm } from '../realm/model.ts';
import { KC_ERRORS, type OAuthError } from './keycloak-texts.ts';

export type ClientAuthResult = { client: ClientConfig; error?: undefined } | { client?: undefined; error: OAuthError };

export function authenticateClient(realm: Realm, req: IncomingMessage, form: URLSearchParams): ClientAuthResult {
  const basic = basicCredentials(req);
  const clientId = basic ? basic.clientId : (form.get('client_id') ?? undefined);
  const secret = basic ? basic.secret : (form.get('client_secret') ?? undefined);
  const client = clientId ? realm.clients.find((c) => c.clientId === clientId) : undefined;
  if (!client || !client.enabled) return { error: KC_ERRORS.clientUnknown };
  if (client.publicClient) return { client };
  if (client.bearerOnly) return { error: KC_ERRORS.bearerOnly };
  if (!secret || !client.secret || !sameSecret(secret, client.secret)) return { error: KC_ERRORS.clientCredentials };
  return { client };
}

/** client_secret_basic: the client id and secret of an `Authorization: Basic` header (form-URL-encoded, RFC 6749 2.3.1), if there is one. */
export function basicCredentials(req: IncomingMessage): { clientId: string; secret?: string } | undefined {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return { clientId: decodeURIComponent(colon < 0 ? decoded : decoded.slice(0, colon)), secret: colon < 0 ? undefined : decodeURIComponent(decoded.slice(colon + 1)) };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
