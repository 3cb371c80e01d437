// What the shell page is rendered from: the platform's /api/v1/session answer (the only source of
// role and tenant), the first snapshot of the Settings lists, and the console faults that are on.
import type { ErrorEnvelope } from '../platform-client.ts';

export interface PlatformSession {
  user_id?: string;
  email?: string;
  display_name?: string;
  role?: string;
  org_id?: string;
  tenant_id?: string | null;
  tenant_name?: string | null;
  project_id?: string | null;
  projects?: unknown[];
}

/** The current tenant and project by name (ids second), as far as the session names them. */
export function scopeNames(s: PlatformSession): { tenant?: { id: string; name: string }; project?: { id: string; name: string } } {
  const project = (s.projects ?? []).find((p): p is { id: string; name?: string } => typeof p === 'object' && p !== null && (p as { id?: unknown }).id === s.project_id);
  return {
    ...(s.tenant_id ? { tenant: { id: s.tenant_id, name: s.tenant_name || s.tenant_id } } : {}),
    ...(s.project_id ? { project: { id: s.project_id, name: project?.name || s.project_id } } : {}),
  };
}

export interface ShellView {
  session?: PlatformSession;
  /** The correlation id of the platform's /api/v1/session answer the page was rendered from. */
  correlationId?: string;
  /** Set when GET /api/v1/session failed: the shell shows it instead of guessing a role. */
  sessionError?: ErrorEnvelope;
  /** Who the ID token says signed in, shown when the platform cannot say. */
  fallbackUser: string;
  snapshot: SettingsSnapshot;
  snapshotError?: ErrorEnvelope;
  faults: { localState: LocalState; readonlyLabel: boolean };
}

/** The Settings lists as the server had them when the page was rendered. */
export interface SettingsSnapshot {
  tokens: unknown[];
  scim: unknown[];
  tenants: unknown[];
}

/**
 * Per kind of Settings state, whether a fault keeps it page-local (remounted from the first
 * snapshot on every tab switch) instead of in shell-level state.
 */
export type LocalState = Record<keyof SettingsSnapshot, boolean>;

export type Capabilities = { tenantAdmin: boolean; systemAdmin: boolean };

export function capabilitiesOf(role: string | undefined): Capabilities {
  return { tenantAdmin: role === 'tenant_admin', systemAdmin: role === 'system_admin' };
}
