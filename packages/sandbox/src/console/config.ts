// What the console needs to know once the IdP and the platform are up. It arrives after the
// console listens, because the IdP's realm needs the console's URL for its redirect URIs.
import type { FaultSet } from '../faults/fault-set.ts';

export interface ConsoleConfig {
  /** The realm's issuer, e.g. `${idpUrl}/realms/sandbox`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  platformUrl: string;
  faults: FaultSet;
}
