// The platform's only ways into Keycloak: @keycloak/keycloak-admin-client with its service-account
// client, as in a real deployment. Missing configuration and unreachable Keycloak become the
// identity-provider envelopes of PLATFORM.md.
import KcAdminClient from '@keycloak/keycloak-admin-client';
import type { PlatformContext } from './context.ts';
import { IDP_FAILURES, IdpFailure } from './http/errors.ts';

interface Cached {
  client: KcAdminClient;
  /** epoch ms after which the token is refreshed */
  refreshAt: number;
  key: string;
}
const cache = new WeakMap<PlatformContext, Cached>();
/** A token being fetched, per platform. */
const logins = new WeakMap<PlatformContext, { key: string; client: Promise<KcAdminClient> }>();

/** Throws the 422 envelope when the API lacks its Keycloak settings (or a fault pretends it does). */
export function assertKeycloakConfigured(ctx: PlatformContext): Required<Pick<PlatformContext['keycloak'], 'url' | 'realm' | 'adminClientId' | 'adminClientSecret'>> {
  const k = ctx.keycloak;
  if (ctx.faults.isOn('keycloak_not_configured') || !k.url || !k.realm) throw IDP_FAILURES.keycloak_not_configured();
  if (ctx.faults.isOn('keycloak_admin_credentials_missing') || !k.adminClientId || !k.adminClientSecret) throw IDP_FAILURES.keycloak_admin_credentials_missing();
  return { url: k.url, realm: k.realm, adminClientId: k.adminClientId, adminClientSecret: k.adminClientSecret };
}

/** An authenticated admin client; the token is reused until shortly before it expires. */
export async function keycloakAdmin(ctx: PlatformContext): Promise<KcAdminClient> {
  const k = assertKeycloakConfigured(ctx);
  const key = `${k.url}|${k.realm}|${k.adminClientId}|${k.adminClientSecret}`;
  const hit = cache.get(ctx);
  if (hit && hit.key === key && Date.now() < hit.refreshAt) return hit.client;
  // Requests that need a token while one is being fetched wait for that one: a slow Keycloak is
  // asked once, not once per request.
  const pending = logins.get(ctx);
  if (pending?.key === key) return pending.client;
  const client = (async () => {
    const c = new KcAdminClient({ baseUrl: k.url, realmName: k.realm });
    await callKeycloak(ctx, 'authenticate', () => c.auth({ grantType: 'client_credentials', clientId: k.adminClientId, clientSecret: k.adminClientSecret }));
    const exp = decodeExp(c.accessToken);
    cache.set(ctx, { client: c, key, refreshAt: exp ? exp * 1000 - 15_000 : Date.now() + 30_000 });
    return c;
  })().finally(() => logins.delete(ctx));
  logins.set(ctx, { key, client });
  return client;
}

/**
 * Runs one admin call with the configured timeout; a network error, a timeout or a 5xx becomes
 * 422 keycloak_unavailable, a 401 on authentication keycloak_admin_credentials_missing. Other
 * Keycloak answers (404, 409, 400) are returned to the caller as thrown errors with `response`.
 */
export async function callKeycloak<T>(ctx: PlatformContext, what: string, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`timed out after ${ctx.keycloak.timeoutMs} ms`), { timeout: true })), ctx.keycloak.timeoutMs);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (err) {
    if (err instanceof IdpFailure) throw err;
    const status = keycloakStatus(err);
    if (what === 'authenticate' && (status === 401 || status === 400)) {
      cache.delete(ctx);
      throw IDP_FAILURES.keycloak_admin_credentials_missing();
    }
    if (status === undefined || status >= 500) {
      cache.delete(ctx);
      throw IDP_FAILURES.keycloak_unavailable({ operation: what, reason: status ? `HTTP ${status}` : (err as Error).message });
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** The HTTP status of an admin-client error (its NetworkError carries the response). */
export function keycloakStatus(err: unknown): number | undefined {
  const e = err as { response?: { status?: number }; status?: number };
  return e?.response?.status ?? e?.status;
}

function decodeExp(token: string | undefined): number | undefined {
  try {
    return JSON.parse(Buffer.from(token!.split('.')[1]!, 'base64url').toString()).exp;
  } catch {
    return undefined;
  }
}
