import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Counts the SQL statements of one request: pass `counter.onQuery` to buildTestApp, then
 * `counter.during(() => client.get(…))` gives the statements run on that request's behalf.
 * Each statement is told within the async context that ran it, so the app's own timers
 * (reminders, housekeeping) running meanwhile are not counted.
 */
export class StatementCounter {
  readonly #current = new AsyncLocalStorage<string[]>();

  readonly onQuery = (sql: string) => {
    this.#current.getStore()?.push(sql);
  };

  async during(request: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = [];
    await this.#current.run(seen, request);
    return seen;
  }
}
