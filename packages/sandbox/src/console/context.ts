// What every console handler works with once the console is configured.
import type { ConsoleConfig } from './config.ts';
import type { ConsoleOidc } from './oidc.ts';
import type { SessionStore } from './sessions.ts';

export interface ConsoleContext {
  /** The console's own base URL, without a trailing slash. */
  url: string;
  config: ConsoleConfig;
  oidc: ConsoleOidc;
  sessions: SessionStore;
  /** Whether cookies get the Secure flag (an https console URL). */
  secure: boolean;
}
