// startIdp: the sandbox identity provider as an in-process server.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { loadRealmFile } from './realm/load.ts';
import { parsePasswordPolicy } from './realm/password-policy.ts';
import { generateRealmKeys, realmKeysFrom, type StoredRealmKeys } from './keys.ts';
import { createMemoryStore } from './store/memory.ts';
import type { IdpStore } from './store/types.ts';
import { noFaults, type IdpContext, type RealmRuntime } from './context.ts';
import { createRequestListener } from './server.ts';
import { createAdminHandler } from './admin/router.ts';
import { serveResource } from './pages/resources.ts';
import { createRealmHandler } from './oidc/realm-handler.ts';
import { seedRealmUsers } from './seed.ts';

export interface StartIdpOptions {
  /** Keycloak realm-export JSON files; one realm each. */
  realmFile: string | string[];
  /** 0 or undefined: a free port. */
  port?: number;
  host?: string;
  /** Externally visible base URL (Keycloak's --hostname); default http://127.0.0.1:PORT. */
  publicUrl?: string;
  /** Postgres connection string or pool: state kept in schema `idp`. Memory when absent. */
  database?: string | pg.Pool;
  /** Values for ${NAME:default} placeholders in the realm file, before the environment. */
  vars?: Record<string, string | undefined>;
  /**
   * Makes a realm's keys when the store has none (default: generateRealmKeys). RSA key generation
   * takes a few hundred ms; a caller that knows the store is new can start it early.
   */
  newRealmKeys?: (realm: string) => Promise<StoredRealmKeys>;
}

export interface RunningIdp {
  url: string;
  ctx: IdpContext;
  close(): Promise<void>;
}

export async function startIdp(options: StartIdpOptions): Promise<RunningIdp> {
  const files = Array.isArray(options.realmFile) ? options.realmFile : [options.realmFile];
  const [realms, store] = await Promise.all([
    Promise.all(files.map((f) => loadRealmFile(f, options.vars))),
    openStore(options.database),
  ]);
  const ctx: IdpContext = { realms: new Map(), store, faults: noFaults() };
  const server = createServer();
  server.keepAliveTimeout = 5_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const url = (options.publicUrl ?? `http://127.0.0.1:${port}`).replace(/\/$/, '');

    await Promise.all(
      realms.map(async (realm) => {
        const stored = (await store.getRealmKeys(realm.name)) ?? (await store.addRealmKeys(realm.name, await (options.newRealmKeys ?? generateRealmKeys)(realm.name)));
        const runtime: RealmRuntime = { realm, keys: realmKeysFrom(stored), policy: parsePasswordPolicy(realm.passwordPolicy).policy };
        ctx.realms.set(realm.name, runtime);
        await seedRealmUsers(store, realm);
      }),
    );
    const realmHandlers = new Map([...ctx.realms].map(([name, rt]) => [name, createRealmHandler(ctx, rt, url)]));
    server.on('request', createRequestListener(ctx, {
      admin: createAdminHandler(ctx, url),
      realm: (name) => realmHandlers.get(name),
      resources: serveResource,
    }));
    return {
      url,
      ctx,
      async close() {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await store.close();
      },
    };
  } catch (err) {
    server.close();
    await store.close();
    throw err;
  }
}

async function openStore(database: StartIdpOptions['database']): Promise<IdpStore> {
  if (!database) return createMemoryStore();
  const { createPostgresStore } = await import('./store/postgres.ts');
  return createPostgresStore(database);
}
