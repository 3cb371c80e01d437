// Whether a symptom still shows in the state the bundle captured: for the codes whose symptom is a
// state (missing or inactive scope records), a check of the DB snapshot. Other symptoms need the
// journey re-run (--retest); null says the state cannot tell.
import type { ScopeSnapshot } from './evidence.ts';
import type { FailureCode } from '../failures/catalog.ts';

type StateCheck = (s: ScopeSnapshot) => boolean;

const noActiveTenant: StateCheck = (s) => !s.tenant_memberships.some((m) => m.active);
const defaultProjectMissing: StateCheck = (s) => !s.default_projects.length || s.default_projects.some((d) => !d.active_member);

/** A project whose membership was soft-deleted and not restored by an active row. */
const removedNotRestored: StateCheck = (s) => s.project_memberships.some((m) => !m.active && !s.project_memberships.some((a) => a.active && a.project_id === m.project_id));

const STATE_CHECKS: Partial<Record<FailureCode, StateCheck>> = {
  signup_missing_default_project: defaultProjectMissing,
  // Also the platform's membership_denied and ownership_denied: a removed membership not restored.
  membership_missing: (s) => noActiveTenant(s) || defaultProjectMissing(s) || removedNotRestored(s),
  posix_identity_missing: (s) => s.posix_identity === null,
  bootstrap_incomplete: (s) => !s.user?.org_id || noActiveTenant(s) || defaultProjectMissing(s),
};

export function reproducesInState(code: FailureCode | undefined, scope: ScopeSnapshot | undefined): boolean | null {
  const check = code ? STATE_CHECKS[code] : undefined;
  return check && scope ? check(scope) : null;
}
