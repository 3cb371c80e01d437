// The sandbox web console's public surface.
export { createConsoleServer, type ConsoleServerOptions, type RunningConsole } from './server.ts';
export type { ConsoleConfig } from './config.ts';
