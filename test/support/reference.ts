// Where the recorded Keycloak 26.7.1 responses live: ../shared/keycloak-reference beside the
// checkout (as on developer machines and in CI), or KEYCLOAK_REFERENCE_DIR.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export const REFERENCE_DIR = process.env.KEYCLOAK_REFERENCE_DIR ?? join(repoRoot, '..', 'shared', 'keycloak-reference');

export function requireReference(): string {
  if (!existsSync(REFERENCE_DIR)) throw new Error(`Keycloak reference recordings not found at ${REFERENCE_DIR} (set KEYCLOAK_REFERENCE_DIR)`);
  return REFERENCE_DIR;
}
