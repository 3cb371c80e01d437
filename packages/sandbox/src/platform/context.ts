// What the platform's handlers share: the database, the faults, the Keycloak settings, the IdP's
// issuer and keys for verifying bearer tokens, and the logger.
import type pg from 'pg';
import type { Logger } from 'pino';
import type { JWTVerifyGetKey } from 'jose';
import type { FaultSet } from '../faults/fault-set.ts';

/** How the platform reaches Keycloak (Helm values / env in a real deployment). */
export interface KeycloakSettings {
  /** Base URL of Keycloak, e.g. http://keycloak:8080. Absent: 422 keycloak_not_configured. */
  url?: string;
  realm?: string;
  /** Service-account client of the admin API. Absent: 422 keycloak_admin_credentials_missing. */
  adminClientId?: string;
  adminClientSecret?: string;
  /** Per-request timeout for admin calls, ms. */
  timeoutMs: number;
}

export interface PlatformContext {
  pool: pg.Pool;
  faults: FaultSet;
  keycloak: KeycloakSettings;
  /** `${keycloak.url}/realms/${realm}`: the issuer bearer tokens must carry. */
  issuer: string;
  jwks: JWTVerifyGetKey;
  log: Logger;
  /** Service name in every log line, as the runbook's log query expects. */
  service: string;
  /** Keycloak usernames provisioned as system admins on their first authenticated request. */
  systemAdmins: string[];
}
