import type { RunningSandbox } from './start.ts';
import type { SandboxHandle } from './provider-types.ts';

/** What onramp sees of a running sandbox: its ready line, a database session, close. */
export const sandboxHandle = (s: RunningSandbox): SandboxHandle => ({
  ready: () => s.ready(),
  databaseUrl: s.databaseUrl,
  // In process the sandbox's own pool is the only way in (PGlite serves one connection).
  connect: s.databaseUrl ? undefined : () => s.pool.connect(),
  close: () => s.close(),
});
