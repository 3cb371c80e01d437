// Config files for the tests of one config section: a minimal target in YAML (its secrets from
// TARGET_ENV), written with the section under test into a temporary folder and loaded.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';

export const TARGET_YAML = `targets:
  staging:
    api_url: https://api.example.test
    idp_url: https://idp.example.test
    realm: platform
    login_client: { client_id: canary }
    admin_client: { client_id: admin, client_secret: { env: ADMIN } }
    system_admin: { username: sysadmin, password: { env: ADMIN } }
`;
export const TARGET_ENV = { ADMIN: 'admin-secret' };

/** A temporary folder for the file's tests (made in beforeAll, removed in afterAll). */
export function useConfigDir(prefix: string) {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(() => rm(dir!, { recursive: true, force: true }));
  const current = () => {
    if (!dir) throw new Error('useConfigDir: the folder is made in beforeAll; use it inside tests or hooks');
    return dir;
  };
  return {
    get dir() {
      return current();
    },
    /** Writes `yaml` to a fresh file in the folder and loads it. */
    async load(yaml: string, env: NodeJS.ProcessEnv = TARGET_ENV) {
      const file = join(current(), `c-${Math.random().toString(36).slice(2)}.yaml`);
      await writeFile(file, yaml);
      return loadConfig(file, env);
    },
  };
}
