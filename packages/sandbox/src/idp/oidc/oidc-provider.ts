// oidc-provider, loaded without its one-time "Unsupported runtime" warning: it works on Node 20
// (the version this project supports, see toolchain notes) but prints the warning on import, ahead
// of onramp's own first line of output. Exactly that line is dropped; every other warning passes.
import type * as OidcProvider from 'oidc-provider';

const UNSUPPORTED_RUNTIME = 'oidc-provider WARNING: Unsupported runtime.';

const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes(UNSUPPORTED_RUNTIME)) return;
  warn(...args);
};
let mod: typeof OidcProvider;
try {
  mod = await import('oidc-provider');
} finally {
  console.warn = warn;
}

export const { default: Provider, errors } = mod;
export type Provider = OidcProvider.default;
