// A target's log settings in the config: Loki and Grafana URLs, the service name, a log file
// (relative to the config file); a wrong value is named by its path.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/load.ts';
import { logSourceFor } from '../../src/triage/sources.ts';
import { TARGET_YAML, useConfigDir } from '../config/config-fixture.ts';

const configs = useConfigDir('onramp-cfg-logs-');
const target = (logs: string) => `${TARGET_YAML}${logs}\n`;

describe('config: logs', () => {
  it('maps loki_url, grafana_url, grafana_datasource, service and a file relative to the config', async () => {
    const cfg = await configs.load(target('    logs: { loki_url: https://loki.example.test, grafana_url: https://grafana.example.test, grafana_datasource: loki-prod, service: platform-api, file: logs/api.log }'));
    const t = cfg.targets.get('staging')!;
    const dir = configs.dir;
    expect(t.logs).toEqual({ lokiUrl: 'https://loki.example.test', grafanaUrl: 'https://grafana.example.test', grafanaDatasource: 'loki-prod', service: 'platform-api', file: join(dir, 'logs/api.log') });
    expect(logSourceFor(t)).toEqual({ service: 'platform-api', lokiUrl: 'https://loki.example.test', grafanaUrl: 'https://grafana.example.test', grafanaDatasource: 'loki-prod', file: join(dir, 'logs/api.log') });
  });

  it('defaults the service to gpuaas-api and falls back to the sandbox log', async () => {
    const t = (await configs.load(target(''))).targets.get('staging')!;
    expect(logSourceFor(t, '/out/sandbox.log')).toEqual({ service: 'gpuaas-api', file: '/out/sandbox.log' });
  });

  it('names a wrong field by its path', async () => {
    const err = await configs.load(target('    logs: { loki_url: loki:3100, service: "", tail: 5 }')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual(expect.arrayContaining(['targets.staging.logs.loki_url: must be an http(s) URL', 'targets.staging.logs.tail: unknown field', 'targets.staging.logs.service: must NOT have fewer than 1 characters']));
  });
});
