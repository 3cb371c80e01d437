import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { migrateSchema } from '../../db/migrate.ts';

export const PLATFORM_MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
const MIGRATION_LOCK = 0x706c_6174_666f; // "platfo"

export function migratePlatform(pool: pg.Pool): Promise<void> {
  return migrateSchema(pool, { dir: PLATFORM_MIGRATIONS_DIR, schema: 'platform', lock: MIGRATION_LOCK, label: 'platform' });
}
