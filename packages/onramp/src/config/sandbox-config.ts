// An onramp config whose one target is a running sandbox, so `onramp run --config FILE` runs the
// journeys against it from another shell; its control token (target `sandbox.control_token`) is what
// switches the sandbox's faults at runtime and opens read-only sessions on its database; its
// `logs.loki_url` is the sandbox's Loki-compatible API over its log lines. The config schema
// refuses inline secrets, so each secret goes to its own file (mode 0600) in FILE.secrets/ and the
// config refers to it.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';

export const SANDBOX_CONFIG_TARGET = 'local';

export interface SandboxEndpoints {
  idp: string;
  platform: string;
  console: string;
  realm: string;
  adminClient: { clientId: string; clientSecret: string };
  canaryClient: { clientId: string; clientSecret: string };
  systemAdmin: { username: string; password: string };
  controlToken: string;
  /** The sandbox's Loki-compatible API over its log lines (triage's log collector reads it). */
  loki?: string;
  /** An external database the sandbox runs on (db steps read it); absent for embedded PGlite. */
  databaseUrl?: string;
}

/** Writes FILE and FILE.secrets/; answers the config's path. */
export async function writeSandboxConfig(file: string, s: SandboxEndpoints): Promise<string> {
  const path = resolve(file);
  const secretsDir = `${basename(path)}.secrets`;
  await mkdir(join(dirname(path), secretsDir), { recursive: true, mode: 0o700 });
  const ref = async (name: string, value: string) => {
    const secretFile = join(dirname(path), secretsDir, name);
    await writeFile(secretFile, `${value}\n`, { mode: 0o600 });
    // writeFile keeps the mode of a file that already exists.
    await chmod(secretFile, 0o600);
    return { file: `${secretsDir}/${name}` };
  };
  const target = {
    api_url: s.platform,
    console_url: s.console,
    idp_url: s.idp,
    realm: s.realm,
    login_client: { client_id: s.canaryClient.clientId, client_secret: await ref('login-client-secret', s.canaryClient.clientSecret) },
    admin_client: { client_id: s.adminClient.clientId, client_secret: await ref('admin-client-secret', s.adminClient.clientSecret) },
    system_admin: { username: s.systemAdmin.username, password: await ref('system-admin-password', s.systemAdmin.password) },
    // Without a database_url, db steps and triage's snapshot read the sandbox's database through its
    // read-only route behind the control token; with one (--database), straight from that Postgres.
    ...(s.databaseUrl ? { database_url: await ref('database-url', s.databaseUrl) } : {}),
    ...(s.loki ? { logs: { loki_url: s.loki } } : {}),
    sandbox: { control_token: await ref('control-token', s.controlToken) },
  };
  const header = [
    '# Written by `onramp sandbox --write-config`: the running sandbox as a target, valid while it runs.',
    `#   onramp run --config ${file} --target ${SANDBOX_CONFIG_TARGET}`,
    '',
  ].join('\n');
  await writeFile(path, header + stringify({ targets: { [SANDBOX_CONFIG_TARGET]: target }, defaults: { target: SANDBOX_CONFIG_TARGET } }));
  return path;
}
