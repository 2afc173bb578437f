import { DEFAULT_MIGRATION_TABLE, Migrator, sql, type MigrationProvider } from 'kysely';
import type { Db } from './create-db.ts';
import { migrations } from './migrations/index.ts';

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * True when the database has run exactly the migrations this build knows: the usual start.
 * One query, where Kysely's Migrator introspects every table twice and takes its lock, which
 * cost a second of every embedded start. Anything else (a fresh database, a pending or an
 * unknown migration, no migration table yet) goes through the Migrator, which applies or reports it.
 */
async function upToDate(db: Db): Promise<boolean> {
  try {
    const { rows } = await sql<{
      name: string;
    }>`select name from ${sql.table(DEFAULT_MIGRATION_TABLE)}`.execute(db);
    const known = Object.keys(migrations);
    return rows.length === known.length && rows.every((row) => Object.hasOwn(migrations, row.name));
  } catch {
    return false;
  }
}

/** Brings the schema up to date; throws with the failing migration's name on error. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  if (await upToDate(db)) return [];
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(`Database migration failed${name}: ${String(error)}`, { cause: error });
  }
  return (results ?? []).map((r) => r.migrationName);
}
