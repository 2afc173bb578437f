import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/**
 * Counts the statements sent to the database (either kind) from this process while it is
 * on: every round trip, BEGIN and COMMIT included. Wraps the drivers' query methods, so
 * nothing in the app has to know.
 */
export function statementCounter() {
  let count = 0;
  const pgQuery = pg.Client.prototype.query;
  const pgliteQuery = PGlite.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    count++;
    return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pgQuery;
  PGlite.prototype.query = function (this: PGlite, ...args: Parameters<typeof pgliteQuery>) {
    count++;
    return pgliteQuery.apply(this, args);
  } as typeof pgliteQuery;
  return {
    /** Statements since the last reset. */
    take(): number {
      const n = count;
      count = 0;
      return n;
    },
    restore() {
      pg.Client.prototype.query = pgQuery;
      PGlite.prototype.query = pgliteQuery;
    },
  };
}
