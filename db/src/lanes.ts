import { AsyncLocalStorage } from 'node:async_hooks';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/**
 * Two lanes to the database. Everything runs on the general lane unless it is called inside
 * `onPriorityLane`: the chair's commands on a meeting night, so 300 phones' ballots and reads
 * cannot queue ahead of "open the vote". The lane follows the async call chain (an
 * AsyncLocalStorage), so every statement of the command — the actor's roles, the transaction,
 * the republished room — takes it, through the one `db` everyone already holds.
 *
 * On PostgreSQL the general lane may hold at most `poolSize` connections of a pool of
 * `poolSize + reserved`; the priority lane takes any free one, so it always finds `reserved`
 * connections the crowd cannot hold. On the embedded database (one connection) the priority
 * lane is served first whenever the connection is handed on: it waits for at most the
 * statement or transaction in progress, not for the queue behind it.
 */
/**
 * The lane of a piece of work. Raising it mid-way (a chair's command joins a room rebuild a
 * ballot started) moves that work's later statements onto the priority lane.
 */
export class Lane {
  constructor(public priority = false) {}
}

const current = new AsyncLocalStorage<Lane>();

/** Runs `fn` with every statement it makes (awaited or not) on the priority lane. */
export function onPriorityLane<T>(fn: () => Promise<T>): Promise<T> {
  return current.run(new Lane(true), fn);
}

/** Runs `fn` in `lane`, which can be raised to the priority lane while it runs. */
export function inLane<T>(lane: Lane, fn: () => Promise<T>): Promise<T> {
  return current.run(lane, fn);
}

export function isOnPriorityLane(): boolean {
  return current.getStore()?.priority === true;
}

/** A counting semaphore, first come first served. */
class Gate {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}

/**
 * The pool Kysely sees: `pool` must have room for `general + reserved` connections; the
 * general lane passes a gate of `general` before it may check one out.
 */
export function lanePool(pool: pg.Pool, general: number): PostgresPool {
  const gate = new Gate(general);
  return {
    async connect(): Promise<PostgresPoolClient> {
      if (isOnPriorityLane()) return pool.connect();
      await gate.acquire();
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        gate.release();
        throw error;
      }
      // pg sets `release` afresh on every checkout, so wrapping it here lasts one checkout.
      const release = client.release.bind(client);
      let released = false;
      client.release = (err?: Error | boolean) => {
        if (!released) {
          released = true;
          gate.release();
        }
        release(err);
      };
      return client;
    },
    end: () => pool.end(),
  };
}
