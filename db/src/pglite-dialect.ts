import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { isOnPriorityLane } from './lanes.ts';

/**
 * A Kysely dialect for embedded PGlite. PGlite is a single Postgres session, so the
 * driver hands out its one connection to one caller at a time: a transaction holds it
 * from BEGIN to COMMIT and nothing else can slip into the middle of it. Callers on the
 * priority lane (lanes.ts) get it before those on the general lane.
 * (kysely-pglite-dialect does the same but declares a peer range that ends at PGlite 0.4.)
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pglite);
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class PGliteDriver implements Driver {
  readonly #connection: PGliteConnection;
  #busy = false;
  /** Callers waiting for the connection, by lane (lanes.ts): the priority lane is served first. */
  readonly #waiting = { priority: [] as (() => void)[], general: [] as (() => void)[] };

  constructor(pglite: PGlite) {
    this.#connection = new PGliteConnection(pglite);
  }

  async init() {}

  acquireConnection(): Promise<DatabaseConnection> {
    return this.#acquire(isOnPriorityLane());
  }

  async #acquire(priority: boolean): Promise<PGliteConnection> {
    if (this.#busy) {
      // Handed on by releaseConnection with #busy still set: nobody can slip in between.
      const queue = priority ? this.#waiting.priority : this.#waiting.general;
      await new Promise<void>((resolve) => queue.push(resolve));
    } else this.#busy = true;
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await connection.executeQuery(CompiledQuery.raw(`begin${isolation}`));
  }
  async commitTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection() {
    const next = this.#waiting.priority.shift() ?? this.#waiting.general.shift();
    if (next) next();
    else this.#busy = false;
  }

  async destroy() {
    // Waits for everyone already queued, then closes.
    await this.#acquire(false);
    await this.#connection.pglite.close();
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(readonly pglite: PGlite) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(compiled.sql, [...compiled.parameters]);
    const affected = result.affectedRows;
    return affected === undefined
      ? { rows: result.rows }
      : { rows: result.rows, numAffectedRows: BigInt(affected) };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite dialect does not support streaming');
  }
}
