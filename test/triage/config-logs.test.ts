// A target's log settings in the config: Loki and Grafana URLs, the service name, a log file
// (relative to the config file); a wrong value is named by its path.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.ts';
import { logSourceFor } from '../../src/triage/sources.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onramp-cfg-logs-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const target = (logs: string) => `targets:
  staging:
    api_url: https://api.example.test
    idp_url: https://idp.example.test
    realm: r
    login_client: { client_id: c }
    admin_client: { client_id: a, client_secret: { env: A } }
    system_admin: { username: s, password: { env: P } }
${logs}
`;

describe('config: logs', () => {
  it('maps loki_url, grafana_url, grafana_datasource, service and a file relative to the config', async () => {
    const file = join(dir, 'ok.yaml');
    await writeFile(file, target('    logs: { loki_url: https://loki.example.test, grafana_url: https://grafana.example.test, grafana_datasource: loki-prod, service: platform-api, file: logs/api.log }'));
    const cfg = await loadConfig(file, { A: 'x'.repeat(8), P: 'y'.repeat(8) });
    const t = cfg.targets.get('staging')!;
    expect(t.logs).toEqual({ lokiUrl: 'https://loki.example.test', grafanaUrl: 'https://grafana.example.test', grafanaDatasource: 'loki-prod', service: 'platform-api', file: join(dir, 'logs/api.log') });
    expect(logSourceFor(t)).toEqual({ service: 'platform-api', lokiUrl: 'https://loki.example.test', grafanaUrl: 'https://grafana.example.test', grafanaDatasource: 'loki-prod', file: join(dir, 'logs/api.log') });
  });

  it('defaults the service to gpuaas-api and falls back to the sandbox log', async () => {
    const file = join(dir, 'none.yaml');
    await writeFile(file, target(''));
    const t = (await loadConfig(file, { A: 'x'.repeat(8), P: 'y'.repeat(8) })).targets.get('staging')!;
    expect(logSourceFor(t, '/out/sandbox.log')).toEqual({ service: 'gpuaas-api', file: '/out/sandbox.log' });
  });

  it('names a wrong field by its path', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, target('    logs: { loki_url: loki:3100, service: "", tail: 5 }'));
    const err = await loadConfig(file, { A: 'x'.repeat(8), P: 'y'.repeat(8) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual(expect.arrayContaining(['targets.staging.logs.loki_url: must be an http(s) URL', 'targets.staging.logs.tail: unknown field', 'targets.staging.logs.service: must NOT have fewer than 1 characters']));
  });
});
