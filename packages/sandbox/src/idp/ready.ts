// The "ready" line of `onramp sandbox idp --json`: where the IdP is and the sandbox's demo
// credentials, read from the loaded realm so they always match what the IdP accepts.
import type { RunningIdp } from './start.ts';

export const SANDBOX_REALM = 'sandbox';
export const ADMIN_CLIENT_ID = 'platform-admin';
export const CANARY_CLIENT_ID = 'onramp-canary';
export const CONSOLE_CLIENT_ID = 'onramp-console';
export const SYSTEM_ADMIN_USERNAME = 'sysadmin';

export function idpReadyEvent(idp: RunningIdp, realmName = SANDBOX_REALM) {
  const rt = idp.ctx.realms.get(realmName);
  if (!rt) throw new Error(`realm "${realmName}" is not loaded`);
  const client = (id: string) => rt.realm.clients.find((c) => c.clientId === id);
  const admin = rt.realm.users.find((u) => u.username === SYSTEM_ADMIN_USERNAME);
  return {
    event: 'ready' as const,
    idp: idp.url,
    realm: rt.realm.name,
    adminClient: { clientId: ADMIN_CLIENT_ID, clientSecret: client(ADMIN_CLIENT_ID)?.secret ?? '' },
    canaryClient: { clientId: CANARY_CLIENT_ID, clientSecret: client(CANARY_CLIENT_ID)?.secret ?? '' },
    consoleClient: { clientId: CONSOLE_CLIENT_ID, redirectUri: consoleRedirectUri(client(CONSOLE_CLIENT_ID)?.redirectUris[0]) },
    systemAdmin: { username: SYSTEM_ADMIN_USERNAME, password: admin?.credentials[0]?.value ?? '' },
  };
}

/** The console's callback under its registered redirect pattern (`http://host:port/*`). */
export function consoleRedirectUri(pattern: string | undefined): string {
  if (!pattern) return '';
  return pattern.endsWith('/*') ? `${pattern.slice(0, -2)}/auth/callback` : pattern;
}
