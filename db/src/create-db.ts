import { PGlite } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, PostgresDialect, type LogEvent, type Transaction } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.ts';
import type { Database } from './database.ts';
import { lanePool } from './lanes.ts';
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
  /** Connections the general lane may hold (PostgreSQL only); default 20. */
  poolSize?: number;
  /**
   * Connections only the priority lane (`onPriorityLane`: the chair's commands) may use, on
   * top of `poolSize`; default 2. Ignored by the embedded database, whose one connection
   * serves that lane first instead.
   */
  reservedConnections?: number;
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

/**
 * Postgres's default 128 MB of shared buffers is allocated and zeroed at every start of the
 * embedded database: half a second of CPU and 110 MB of resident memory. A neighbourhood's
 * database is tens of MB, and reads past the buffers come from the OS file cache.
 */
const EMBEDDED_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

export const DEFAULT_POOL_SIZE = 20;
export const DEFAULT_RESERVED_CONNECTIONS = 2;

export async function createDb(config: DbConfig): Promise<DbHandle> {
  const plugins = [new CamelCasePlugin()];
  const onQuery = config.onQuery;
  const log = onQuery ? (event: LogEvent) => onQuery(event.query.sql) : undefined;
  if (config.databaseUrl) {
    const general = config.poolSize ?? DEFAULT_POOL_SIZE;
    const reserved = config.reservedConnections ?? DEFAULT_RESERVED_CONNECTIONS;
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: general + reserved });
    // An idle client dropped by the server (restart, failover, admin termination) emits
    // 'error' on the pool; unhandled, that would crash the process. The pool replaces the
    // client and the next query reconnects, so there is nothing else to do here.
    pool.on('error', () => {});
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: lanePool(pool, general) }),
      plugins,
      ...(log ? { log } : {}),
    });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const unlock = config.dataDir ? lockDataDir(config.dataDir) : () => {};
  try {
    const pglite = await PGlite.create(config.dataDir, { startParams: EMBEDDED_START_PARAMS });
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
