import { PGlite } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, PostgresDialect, type LogEvent, type Transaction } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.ts';
import type { Database } from './database.ts';
import { PGliteDialect } from './pglite-dialect.ts';

export type Db = Kysely<Database>;
/** Query functions take either, so a command can run them inside its transaction. */
export type DbOrTx = Kysely<Database> | Transaction<Database>;
export type Tx = Transaction<Database>;

export interface DbConfig {
  /** postgres://… for a real server; without it, the embedded database is used. */
  databaseUrl?: string | undefined;
  /** Where the embedded database keeps its files; omitted = in memory (tests). */
  dataDir?: string | undefined;
  poolSize?: number;
  /** Told the text of every statement run (tests count the statements of one request). */
  onQuery?: ((sql: string) => void) | undefined;
}

export interface DbHandle {
  db: Db;
  kind: 'postgres' | 'embedded';
  close(): Promise<void>;
}

// bigint columns (bigserial ids, counts) come back as strings rather than losing precision.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

export async function createDb(config: DbConfig): Promise<DbHandle> {
  const plugins = [new CamelCasePlugin()];
  const onQuery = config.onQuery;
  const log = onQuery ? (event: LogEvent) => onQuery(event.query.sql) : undefined;
  if (config.databaseUrl) {
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.poolSize ?? 20 });
    // An idle client dropped by the server (restart, failover, admin termination) emits
    // 'error' on the pool; unhandled, that would crash the process. The pool replaces the
    // client and the next query reconnects, so there is nothing else to do here.
    pool.on('error', () => {});
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      plugins,
      ...(log ? { log } : {}),
    });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const unlock = config.dataDir ? lockDataDir(config.dataDir) : () => {};
  try {
    const pglite = await PGlite.create(config.dataDir);
    const db = new Kysely<Database>({
      dialect: new PGliteDialect(pglite),
      plugins,
      ...(log ? { log } : {}),
    });
    return {
      db,
      kind: 'embedded',
      close: async () => {
        await db.destroy();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}
