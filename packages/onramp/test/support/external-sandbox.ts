// A real `onramp sandbox` process and a config file whose target `local` points at it, secrets by
// environment reference: how a user runs `onramp run` against a sandbox that outlives the run.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startCli, type RunningCli } from './spawn-cli.ts';

export interface ExternalSandbox {
  cli: RunningCli;
  ready: SandboxReady & { controlToken: string; console: string };
  /** The config file (target `local`). */
  config: string;
  /** The environment the config's secret references need. */
  env: Record<string, string>;
}

/**
 * `written`: the config is the one `onramp sandbox --write-config` writes (console, logs, database
 * route, secrets in files beside it), as the user reproducing an incident has it; no env needed.
 */
export async function startExternalSandbox(dir: string, o: { written?: boolean } = {}): Promise<ExternalSandbox> {
  if (o.written) {
    const config = join(dir, 'sandbox.yaml');
    const cli = startCli(['sandbox', '--json', '--write-config', config]);
    const ready = (await cli.firstLine) as ExternalSandbox['ready'];
    return { cli, ready, config, env: {} };
  }
  const cli = startCli(['sandbox', '--json']);
  const ready = (await cli.firstLine) as ExternalSandbox['ready'];
  const config = join(dir, 'onramp.config.yaml');
  await writeFile(config, localTargetYaml(ready, ['sandbox: { control_token: { env: T_CONTROL } }']));
  return { cli, ready, config, env: { ...localTargetEnv(ready), T_CONTROL: ready.controlToken } };
}

type SandboxReady = {
  platform: string;
  idp: string;
  realm: string;
  adminClient: { clientId: string; clientSecret: string };
  canaryClient: { clientId: string; clientSecret: string };
  systemAdmin: { username: string; password: string };
};

/** A config with target `local` for a sandbox's ready event, secrets by environment reference (localTargetEnv), plus `extra` lines of the target. */
export const localTargetYaml = (ready: SandboxReady, extra: string[] = []) =>
  [
    'targets:',
    '  local:',
    `    api_url: ${ready.platform}`,
    `    idp_url: ${ready.idp}`,
    `    realm: ${ready.realm}`,
    `    login_client: { client_id: ${ready.canaryClient.clientId}, client_secret: { env: T_CANARY } }`,
    `    admin_client: { client_id: ${ready.adminClient.clientId}, client_secret: { env: T_ADMIN } }`,
    `    system_admin: { username: ${ready.systemAdmin.username}, password: { env: T_SYSADMIN } }`,
    ...extra.map((l) => `    ${l}`),
    '',
  ].join('\n');

/** The environment localTargetYaml's secret references need. */
export const localTargetEnv = (ready: SandboxReady): Record<string, string> => ({ T_CANARY: ready.canaryClient.clientSecret, T_ADMIN: ready.adminClient.clientSecret, T_SYSADMIN: ready.systemAdmin.password });

/** One external sandbox for a test file, in a temporary folder: started before its tests, stopped after. */
export function useExternalSandbox(o: { written?: boolean } = {}): { readonly sandbox: ExternalSandbox; readonly dir: string } {
  const env = {} as { sandbox: ExternalSandbox; dir: string };
  beforeAll(async () => {
    env.dir = await mkdtemp(join(tmpdir(), 'onramp-external-'));
    env.sandbox = await startExternalSandbox(env.dir, o);
  }, 60_000);
  afterAll(async () => {
    env.sandbox?.cli.child.kill('SIGTERM');
    await env.sandbox?.cli.exit;
    if (env.dir) await rm(env.dir, { recursive: true, force: true });
  });
  return env;
}
