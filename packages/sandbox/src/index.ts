// @onramp/sandbox: the test bed onramp runs its journeys against when no real platform is named.
// This module is the whole of what onramp sees (its SandboxProvider): the fault catalogue, and
// start functions that hand back plain data (URLs, demo clients, secrets), a read-only database
// session and close. It stays light: the servers (oidc-provider, PGlite, argon2) load inside start.
import { FAULTS } from './faults/catalog.ts';
import type { SandboxHandle, IdpHandle, SandboxStartOptions, IdpStartOptions } from './provider-types.ts';

export type { SandboxReady, SandboxHandle, IdpHandle, SandboxStartOptions, IdpStartOptions, DbSession, SandboxOption } from './provider-types.ts';
export { SandboxOptionError } from './option-error.ts';

/** Every fault the sandbox can switch on, with the runbook symptom it reproduces. */
export const faults: readonly { name: string; title: string; description: string }[] = FAULTS.map(({ name, title, description }) => ({ name, title, description }));

/** The whole sandbox: IdP, platform API, worker, console, on embedded PGlite or the given Postgres. */
export async function start(o: SandboxStartOptions = {}): Promise<SandboxHandle> {
  const [{ startSandbox }, { sandboxHandle }] = await Promise.all([import('./start.ts'), import('./handle.ts')]);
  return sandboxHandle(await startSandbox(o));
}

/** The identity provider alone (`onramp sandbox idp`). */
export async function startIdp(o: IdpStartOptions = {}): Promise<IdpHandle> {
  const { startIdpAlone } = await import('./idp-alone.ts');
  return startIdpAlone(o);
}
