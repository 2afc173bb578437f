import type { User } from '@tongxin/db';

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

  constructor(private readonly ttlMs: number) {}

  get(token: string): User | null {
    const entry = this.#entries.get(token);
    if (!entry) return null;
    if (entry.until > Date.now()) return entry.user;
    this.#entries.delete(token);
    return null;
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
    this.#entries.delete(token);
  }

  /** Every cached session of the user but `exceptToken`. */
  deleteUser(userId: string, exceptToken?: string): void {
    for (const [token, entry] of this.#entries)
      if (entry.user.id === userId && token !== exceptToken) this.#entries.delete(token);
  }

  clear(): void {
    this.#entries.clear();
  }
}
