// Synthetic identities: every name carries a recognisable prefix and the run id, so a sweeper can
// find leftovers by name in the platform and in Keycloak.
import { randomBytes } from 'node:crypto';

export const SYNTHETIC_PREFIX = 'onramp-syn';

export interface SyntheticIdentity {
  label: string;
  username: string;
  email: string;
  password: string;
  displayName: string;
}

export function newRunId(): string {
  // base36 time + randomness: short, sortable by start time, unique across replicas.
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export function syntheticName(runId: string, label: string): string {
  return `${SYNTHETIC_PREFIX}-${runId}-${label}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

export function makeIdentity(runId: string, label: string): SyntheticIdentity {
  const username = syntheticName(runId, label);
  // Meets the platform's and the realm's policy: 12+, upper, lower, digit, symbol.
  const password = `Sy${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}7!q`;
  return { label, username, email: `${username}@synthetic.onramp.test`, password, displayName: `onramp synthetic ${label}` };
}
