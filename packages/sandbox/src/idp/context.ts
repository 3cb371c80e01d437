// The running IdP as its request handlers see it: realms with their keys and policy, the store, and
// the fault switches the sandbox platform flips at runtime.
import type { Realm } from './realm/model.ts';
import type { RealmKeys } from './keys.ts';
import type { PasswordPolicy } from './realm/password-policy.ts';
import type { IdpStore } from './store/types.ts';

export interface IdpFaults {
  /** Added latency for every request, in milliseconds (0 = off). */
  slowMs: number;
  /** Every request answers 503, as a Keycloak behind a dead ingress would. */
  down: boolean;
  /** The token endpoint refuses the platform's admin (service-account) clients' credentials. */
  rejectAdminClient: boolean;
}

export interface RealmRuntime {
  realm: Realm;
  keys: RealmKeys;
  policy: PasswordPolicy;
}

export interface IdpContext {
  realms: Map<string, RealmRuntime>;
  store: IdpStore;
  faults: IdpFaults;
}

export const noFaults = (): IdpFaults => ({ slowMs: 0, down: false, rejectAdminClient: false });
