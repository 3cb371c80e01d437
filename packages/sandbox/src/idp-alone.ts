// The identity provider on its own, as `onramp sandbox idp` serves it.
import { startIdp } from './idp/start.ts';
import { RealmFileError } from './idp/realm/load.ts';
import { DEFAULT_REALM_FILE } from './idp/realm/default-file.ts';
import { idpReadyEvent } from './idp/ready.ts';
import { DatabaseUrlError, probeDatabase } from './db/url.ts';
import { SandboxOptionError } from './option-error.ts';
import type { IdpHandle, IdpStartOptions } from './provider-types.ts';

export async function startIdpAlone(o: IdpStartOptions): Promise<IdpHandle> {
  try {
    if (o.databaseUrl) await probeDatabase(o.databaseUrl);
    const idp = await startIdp({ realmFile: o.realmFile ?? DEFAULT_REALM_FILE, port: o.port ?? 0, database: o.databaseUrl });
    return { ready: () => idpReadyEvent(idp), close: () => idp.close() };
  } catch (err) {
    if (err instanceof RealmFileError) throw new SandboxOptionError('realmFile', err.message);
    if (err instanceof DatabaseUrlError) throw new SandboxOptionError('databaseUrl', err.message);
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new SandboxOptionError('port', `port ${o.port} is in use`);
    throw err;
  }
}
