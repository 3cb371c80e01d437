// Where the recorded Keycloak 26.7.1 responses live: vendored in test/fixtures/keycloak-reference
// (provenance in its README), so a plain clone runs the conformance tests; KEYCLOAK_REFERENCE_DIR
// points them at another set of recordings of the same layout.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const VENDORED = fileURLToPath(new URL('../fixtures/keycloak-reference/', import.meta.url));

export const REFERENCE_DIR = process.env.KEYCLOAK_REFERENCE_DIR || VENDORED;

export function requireReference(): string {
  if (!existsSync(REFERENCE_DIR)) throw new Error(`Keycloak reference recordings not found at ${REFERENCE_DIR} (KEYCLOAK_REFERENCE_DIR)`);
  return REFERENCE_DIR;
}
