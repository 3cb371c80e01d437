/** The exit code of a process ended by a signal (128 + its number), as a shell reports it. */
export const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> & Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

/** Resolves on the first SIGINT or SIGTERM, so a command can close what it started before it exits. */
export function waitForShutdown(): Promise<'SIGINT' | 'SIGTERM'> {
  return new Promise((resolve) => {
    const done = (signal: 'SIGINT' | 'SIGTERM') => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
