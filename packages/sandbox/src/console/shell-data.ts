// Gathers what the shell renders: the session (role and tenant come only from the platform, never
// from token claims) and the Settings lists for the role, each call with the user's token.
import type { ConsoleContext } from './context.ts';
import { callPlatform, errorEnvelope, parseJson, type ErrorEnvelope } from './platform-client.ts';
import { capabilitiesOf, type PlatformSession, type SettingsSnapshot, type ShellView } from './pages/view-model.ts';

function listIn(body: unknown, keys: string[]): unknown[] {
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object') {
    for (const k of keys) {
      const v = (body as Record<string, unknown>)[k];
      if (Array.isArray(v)) return v;
    }
  }
  return [];
}

async function fetchList(ctx: ConsoleContext, token: string, path: string, keys: string[]): Promise<{ items: unknown[]; error?: ErrorEnvelope }> {
  const answer = await callPlatform(ctx.config.platformUrl, token, 'GET', path);
  if (answer.status !== 200) return { items: [], error: errorEnvelope(answer) };
  return { items: listIn(parseJson(answer), keys) };
}

export async function loadShellView(ctx: ConsoleContext, token: string, claims: Record<string, unknown>): Promise<ShellView> {
  const faults = {
    // One fault per kind of Settings state, so each symptom can be told apart.
    localState: {
      tokens: ctx.config.faults.isOn('settings_state_local'),
      scim: ctx.config.faults.isOn('settings_state_local_scim'),
      tenants: ctx.config.faults.isOn('settings_state_local_tenants'),
    },
    readonlyLabel: ctx.config.faults.isOn('readonly_label'),
  };
  const fallbackUser = String(claims.name ?? claims.email ?? claims.preferred_username ?? 'signed in');
  const snapshot: SettingsSnapshot = { tokens: [], scim: [], tenants: [] };
  const answer = await callPlatform(ctx.config.platformUrl, token, 'GET', '/api/v1/session');
  const body = parseJson(answer);
  if (answer.status !== 200 || !body || typeof body !== 'object') {
    return { sessionError: errorEnvelope(answer), fallbackUser, snapshot, faults, correlationId: answer.correlationId };
  }
  const session = body as PlatformSession;
  const caps = capabilitiesOf(session.role);
  const [tokens, scim, tenants] = await Promise.all([
    caps.tenantAdmin ? fetchList(ctx, token, '/api/v1/agent-enrollment/tokens', ['tokens', 'items', 'enrollment_tokens']) : undefined,
    caps.tenantAdmin ? fetchList(ctx, token, '/api/v1/scim/connections', ['connections', 'items']) : undefined,
    caps.systemAdmin ? fetchList(ctx, token, '/api/v1/admin/tenants', ['tenants', 'items']) : undefined,
  ]);
  snapshot.tokens = tokens?.items ?? [];
  snapshot.scim = scim?.items ?? [];
  snapshot.tenants = tenants?.items ?? [];
  return { session, fallbackUser, snapshot, snapshotError: tokens?.error ?? scim?.error ?? tenants?.error, faults, correlationId: answer.correlationId };
}
