// The synthetic identities a run's cleanup could not remove, as lines for stderr: what `onramp run`
// and `onramp monitor` print, so that `onramp sweep` (or a person) can remove them.
import type { Leftover } from './results.ts';

/** The leftovers as lines: journey, identities, tenant, why. */
export function describeLeftovers(leftovers: Leftover[]): string[] {
  return leftovers.map((l) => `  - ${l.journey} (attempt ${l.attempt}): ${l.identities.length ? l.identities.join(', ') : 'no identity'}${l.tenantId ? `; tenant ${l.tenantId}` : ''} (${l.reason})`);
}

/** The heading line above them. */
export const leftoversHeading = (command: string, leftovers: Leftover[]) =>
  `${command}: cleanup could not remove the synthetic identities of ${leftovers.length} journey attempt${leftovers.length > 1 ? 's' : ''}:`;
