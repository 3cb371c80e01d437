// onramp's own version, from package.json, for `--version` and for every report.
import { createRequire } from 'node:module';

export const ONRAMP_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
