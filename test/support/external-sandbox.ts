// A real `onramp sandbox` process and a config file whose target `local` points at it, secrets by
// environment reference: how a user runs `onramp run` against a sandbox that outlives the run.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startCli, type RunningCli } from './spawn-cli.ts';

export interface ExternalSandbox {
  cli: RunningCli;
  ready: { platform: string; idp: string; realm: string; controlToken: string };
  /** The config file (target `local`). */
  config: string;
  /** The environment the config's secret references need. */
  env: Record<string, string>;
}

export async function startExternalSandbox(dir: string): Promise<ExternalSandbox> {
  const cli = startCli(['sandbox', '--json']);
  const ready = (await cli.firstLine) as ExternalSandbox['ready'] & { adminClient: { clientId: string; clientSecret: string }; canaryClient: { clientId: string; clientSecret: string }; systemAdmin: { username: string; password: string } };
  const config = join(dir, 'onramp.config.yaml');
  await writeFile(
    config,
    [
      'targets:',
      '  local:',
      `    api_url: ${ready.platform}`,
      `    idp_url: ${ready.idp}`,
      `    realm: ${ready.realm}`,
      `    login_client: { client_id: ${ready.canaryClient.clientId}, client_secret: { env: T_CANARY } }`,
      `    admin_client: { client_id: ${ready.adminClient.clientId}, client_secret: { env: T_ADMIN } }`,
      `    system_admin: { username: ${ready.systemAdmin.username}, password: { env: T_SYSADMIN } }`,
      '',
    ].join('\n'),
  );
  return { cli, ready, config, env: { T_CANARY: ready.canaryClient.clientSecret, T_ADMIN: ready.adminClient.clientSecret, T_SYSADMIN: ready.systemAdmin.password } };
}
