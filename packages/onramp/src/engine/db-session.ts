// A database session as db steps use it: what pg's pool lends, what the embedded sandbox lends of
// its own connection, and what a running sandbox's read-only route serves.

export interface DbSession {
  query(config: { text: string; values?: unknown[]; queryMode?: 'extended' }): Promise<{ rows: Record<string, unknown>[] }>;
  query(text: string): Promise<{ rows: Record<string, unknown>[] }>;
  release(err?: Error | boolean): void;
}

/** Where sessions come from: a pg pool, the embedded sandbox's `connect`, or a running sandbox's route. */
export interface DbSessions {
  connect(): Promise<DbSession>;
}
