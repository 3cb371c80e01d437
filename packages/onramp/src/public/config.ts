// `onramp/config`: the config file's type, for `onramp.config.ts`. The object is the same one the
// YAML file holds (snake_case keys), checked against contracts/config.schema.json when loaded.
import type { RawConfig, RawTarget, RawBrowser, SecretRef } from '../config/load.ts';

export type OnrampConfigFile = RawConfig;
export type { RawTarget as TargetConfig, RawBrowser as BrowserConfig, SecretRef };

/** Types an `onramp.config.ts` default export; returns it unchanged. */
export const defineConfig = (config: OnrampConfigFile): OnrampConfigFile => config;
