// The security notice. OP-071: where mutation controls are available the notice names the
// guardrails; "Read-only mode" is only true where there are no controls.
import type { Capabilities } from './view-model.ts';

export function securityNotice(caps: Capabilities, o: { readonlyLabel: boolean; role?: string }): { text: string; tone: 'guardrail' | 'readonly' } {
  const mutable = caps.tenantAdmin || caps.systemAdmin;
  if (mutable && o.readonlyLabel) return { text: 'Read-only mode', tone: 'readonly' };
  if (caps.systemAdmin) {
    return { text: 'Guardrails on: tenant and user bootstrap are audited, and users are committed only after Keycloak verification.', tone: 'guardrail' };
  }
  if (caps.tenantAdmin) return { text: 'Guardrails on: token creation is audited and limited to this tenant.', tone: 'guardrail' };
  return { text: `Read-only mode: the ${o.role ?? 'current'} role cannot change tenant settings.`, tone: 'readonly' };
}
