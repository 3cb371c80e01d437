// A target: where journeys run and who they run as. From the config file, or from the embedded
// sandbox's ready event. Secrets are Secret values so no report or log can print them by accident.
import type { Secret } from './secret.ts';
import type { SelectorOverrides } from './browser/selectors.ts';
import type { DbSession } from './db-session.ts';
import type { RequirableKind } from './results.ts';

export interface Target {
  name: string;
  apiUrl: string;
  consoleUrl?: string;
  idpUrl: string;
  realm: string;
  /** The client journeys log users in with (direct access grant). */
  loginClient: { clientId: string; clientSecret?: Secret };
  /** Service-account client for Keycloak admin checks and cleanup. */
  adminClient: { clientId: string; clientSecret: Secret };
  systemAdmin: { username: string; password: Secret };
  /** Read-only diagnostics; db steps are skipped without it (or the sandbox's own session). */
  databaseUrl?: Secret;
  /** Where triage finds the API's log lines (the runbook's LogQL query). */
  logs?: { service?: string; lokiUrl?: string; grafanaUrl?: string; grafanaDatasource?: string; file?: string };
  /** Browser steps' selectors where this target's console or IdP theme differs from the defaults. */
  selectors?: SelectorOverrides;
  /** Kinds of check that must run here: a skip of one (no database, say) fails as check_unavailable. */
  require?: RequirableKind[];
  /** Journeys that change identities behind the platform's back refuse to run here. */
  production: boolean;
  /** The embedded sandbox (its fault switches are reachable). */
  sandbox?: {
    controlToken: Secret;
    /**
     * A session on the sandbox's own database, for db steps in process: embedded PGlite serves one
     * connection, held by the sandbox, so a second client could never connect.
     */
    connect?: () => Promise<DbSession>;
  };
}

/** The embedded sandbox's target name: a config may not use it for a target of its own. */
export const EMBEDDED_SANDBOX = 'sandbox';

/** The target is the embedded sandbox, started in this process. */
export const isEmbeddedSandbox = (t: Pick<Target, 'name'>): boolean => t.name === EMBEDDED_SANDBOX;

/** Every secret of the target as text, for redaction. */
export function targetSecrets(t: Target): string[] {
  return [t.adminClient.clientSecret, t.loginClient.clientSecret, t.systemAdmin.password, t.databaseUrl, t.sandbox?.controlToken].flatMap((s) => (s ? [s.reveal()] : []));
}
