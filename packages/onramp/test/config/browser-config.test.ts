// Browser settings and selectors in the config: mapped onto the browser executor's settings and
// the target, every problem named by its path, and the schema documenting each selector's default.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA_FILE, ConfigError } from '../../src/config/load.ts';
import { DEFAULT_SELECTORS, resolveSelectors } from '../../src/engine/browser/selectors.ts';
import { useConfigDir } from './config-fixture.ts';

const configs = useConfigDir('onramp-browser-config-');

const TARGET = `targets:
  staging:
    api_url: https://api.example.test
    console_url: https://console.example.test
    idp_url: https://idp.example.test
    realm: platform
    login_client: { client_id: onramp-canary }
    admin_client: { client_id: platform-admin, client_secret: { env: ADMIN_SECRET } }
    system_admin: { username: sysadmin, password: { env: SYSADMIN_PASSWORD } }
`;
const ENV = { ADMIN_SECRET: 'a', SYSADMIN_PASSWORD: 'b' };

const load = (yaml: string) => configs.load(yaml, ENV);

describe('browser config', () => {
  it('maps browser settings and selectors, the executable path relative to the config file', async () => {
    const config = await load(`${TARGET}    selectors:
      console: { logout: '#sign-out' }
browser:
  executable_path: bin/chrome
  trace: "on"
  action_timeout_ms: 5000
  selectors:
    keycloak: { login: 'button[name=login]' }
`);
    const dir = configs.dir;
    expect(config.browser).toEqual({ executablePath: join(dir, 'bin/chrome'), headless: undefined, traceAll: true, actionTimeoutMs: 5000, selectors: { keycloak: { login: 'button[name=login]' } } });
    expect(config.targets.get('staging')!.selectors).toEqual({ console: { logout: '#sign-out' } });
    const merged = resolveSelectors({ console: { logout: '#sign-out' } });
    expect([merged.console.logout, merged.console.sign_in, merged.keycloak.username]).toEqual(['#sign-out', '[data-testid="sign-in"]', '#username']);
  });

  const bad: { name: string; yaml: string; problems: string[] }[] = [
    { name: 'an unknown selector name', yaml: `${TARGET}browser:\n  selectors:\n    console: { log_out: '#x' }\n`, problems: ['browser.selectors.console.log_out: unknown field'] },
    { name: 'a trace mode that does not exist', yaml: `${TARGET}browser:\n  trace: always\n`, problems: ['browser.trace: must be one of on-failure, on'] },
    { name: 'an empty selector on a target', yaml: `${TARGET}    selectors:\n      keycloak: { username: '' }\n`, problems: ['targets.staging.selectors.keycloak.username: must NOT have fewer than 1 characters'] },
    { name: 'an unknown browser setting', yaml: `${TARGET}browser:\n  path: /usr/bin/chromium\n`, problems: ['browser.path: unknown field'] },
  ];
  for (const c of bad) {
    it(`names ${c.name} by its path`, async () => {
      const err = await load(c.yaml).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toEqual(c.problems);
    });
  }

  it('documents every selector with its default in the schema', async () => {
    const schema = JSON.parse(await readFile(CONFIG_SCHEMA_FILE, 'utf8'));
    for (const group of ['console', 'keycloak'] as const) {
      const props = schema.$defs.selectors.properties[group].properties as Record<string, { default: string }>;
      expect(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.default]))).toEqual(DEFAULT_SELECTORS[group]);
    }
  });
});
