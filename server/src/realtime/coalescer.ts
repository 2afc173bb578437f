import { inLane, isOnPriorityLane, Lane } from '@tongxin/db/lanes';

/**
 * Runs `work(key)` after bursts: a request while one runs for the same key queues exactly
 * one more run, so a hundred claims cause at most two rebuilds, and the last one sees them all.
 * A request from the database's priority lane (the chair's command) raises the runs it waits
 * for onto that lane, so it does not wait behind the crowd's statements through them.
 */
export class Coalescer {
  readonly #running = new Map<string, Promise<void>>();
  readonly #lanes = new Map<string, Lane>();
  readonly #again = new Set<string>();

  constructor(
    private readonly work: (key: string) => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  schedule(key: string): Promise<void> {
    const running = this.#running.get(key);
    if (running) {
      this.#again.add(key);
      if (isOnPriorityLane()) this.#lanes.get(key)!.priority = true;
      return running;
    }
    const lane = new Lane(isOnPriorityLane());
    this.#lanes.set(key, lane);
    const run = inLane(lane, async () => {
      try {
        do {
          this.#again.delete(key);
          await this.work(key).catch(this.onError);
        } while (this.#again.has(key));
      } finally {
        this.#running.delete(key);
        this.#lanes.delete(key);
      }
    });
    this.#running.set(key, run);
    return run;
  }

  /** Waits for every scheduled run (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running.size) await Promise.all(this.#running.values());
  }
}
