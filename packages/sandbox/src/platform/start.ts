// startPlatform: the sandbox platform API on a Postgres pool, talking to Keycloak (the sandbox IdP
// or a real one) only through the admin client and standard OIDC.
import type pg from 'pg';
import { createRemoteJWKSet } from 'jose';
import pino, { type Logger } from 'pino';
import type { FaultSet } from '../faults/fault-set.ts';
import type { KeycloakSettings, PlatformContext } from './context.ts';
import { migratePlatform } from './db/migrate.ts';
import { createPlatformListener, listen, type ExtraRoute, type RunningPlatform } from './server.ts';

export interface StartPlatformOptions {
  pool: pg.Pool;
  faults: FaultSet;
  keycloak: Partial<KeycloakSettings>;
  port?: number;
  log?: Logger;
  /** Keycloak usernames that become platform system admins on their first request. */
  systemAdmins?: string[];
  extraRoutes?: ExtraRoute[];
  service?: string;
}

export async function startPlatform(o: StartPlatformOptions): Promise<RunningPlatform & { ctx: PlatformContext }> {
  await migratePlatform(o.pool);
  const keycloak: KeycloakSettings = { timeoutMs: 5_000, ...o.keycloak };
  const issuer = keycloak.url && keycloak.realm ? `${keycloak.url.replace(/\/$/, '')}/realms/${keycloak.realm}` : 'urn:onramp:keycloak-not-configured';
  const ctx: PlatformContext = {
    pool: o.pool,
    faults: o.faults,
    keycloak,
    issuer,
    jwks: createRemoteJWKSet(new URL(`${issuer.startsWith('http') ? issuer : 'http://127.0.0.1:9'}/protocol/openid-connect/certs`), { timeoutDuration: keycloak.timeoutMs }),
    log: o.log ?? pino({ base: undefined }),
    service: o.service ?? 'gpuaas-api',
    systemAdmins: o.systemAdmins ?? [],
  };
  const running = await listen(createPlatformListener(ctx, o.extraRoutes), o.port);
  return { ...running, ctx };
}
