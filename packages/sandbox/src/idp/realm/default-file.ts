import { fileURLToPath } from 'node:url';

/** The realm export shipped with onramp, shared with docker-compose's Keycloak. */
export const DEFAULT_REALM_FILE = fileURLToPath(new URL('../../../realm/realm-sandbox.json', import.meta.url));
