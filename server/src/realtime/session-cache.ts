import type { User } from '@tongxin/db/database';

// Bounded: a flood of distinct tokens cannot grow it without limit.
const MAX_ENTRIES = 10_000;

/**
 * Sessions validated recently, so a burst of upgrades (a hall of phones joining a meeting,
 * a client reconnecting to several documents) does not ask the database each time. Only the
 * `/yjs/` upgrade reads it; logout and password change evict their tokens at once
 * (`LiveService.closeSession` / `closeUserSessions`), and the periodic re-check refreshes or
 * evicts every token that still has sockets. Entries live `ttlMs` at most.
 */
export class SessionCache {
  readonly #entries = new Map<string, { user: User; until: number }>();
  readonly #loading = new Map<string, Promise<User | null>>();
  /** Bumped by every eviction: a load that raced a logout must not cache its answer. */
  #evictions = 0;

  constructor(private readonly ttlMs: number) {}

  get(token: string): User | null {
    const entry = this.#entries.get(token);
    if (!entry) return null;
    if (entry.until > Date.now()) return entry.user;
    this.#entries.delete(token);
    return null;
  }

  /**
   * The cached user, or `load()`'s answer; concurrent upgrades with one token (a client
   * opening several documents at once) share one load.
   */
  async resolve(token: string, load: () => Promise<User | null>): Promise<User | null> {
    const cached = this.get(token);
    if (cached) return cached;
    return this.#loading.get(token) ?? this.refresh(token, load);
  }

  /** Loads the session again (the periodic re-check) and caches a valid answer. */
  refresh(token: string, load: () => Promise<User | null>): Promise<User | null> {
    let pending = this.#loading.get(token);
    if (!pending) {
      const evictions = this.#evictions;
      pending = load()
        .then((user) => {
          if (user && evictions === this.#evictions) this.set(token, user);
          return user;
        })
        .finally(() => this.#loading.delete(token));
      this.#loading.set(token, pending);
    }
    return pending;
  }

  set(token: string, user: User): void {
    if (this.ttlMs <= 0) return;
    this.#entries.delete(token);
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(token, { user, until: Date.now() + this.ttlMs });
  }

  delete(token: string): void {
    this.#evictions++;
    this.#entries.delete(token);
  }

  /** Every cached session of the user but `exceptToken`. */
  deleteUser(userId: string, exceptToken?: string): void {
    this.#evictions++;
    for (const [token, entry] of this.#entries)
      if (entry.user.id === userId && token !== exceptToken) this.#entries.delete(token);
  }

  clear(): void {
    this.#evictions++;
    this.#entries.clear();
  }
}
