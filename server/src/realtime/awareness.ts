import type { Connection } from './connection.ts';
import type { LiveLimits } from './limits.ts';
import {
  awarenessFrame,
  awarenessJson,
  type AwarenessEntry,
  type IncomingAwarenessEntry,
} from './protocol.ts';

interface Entry {
  owner: Connection;
  /** The last clock the client sent; staleness is judged on the client's own clocks. */
  clientClock: number;
  /** Added to relayed clocks so a returning client id outranks the removal we sent for it. */
  offset: number;
  json: string;
}

// How long a removed client id's last clock is remembered (a reconnect comes well before).
const TOMBSTONE_MS = 60_000;

/**
 * Presence for one document, bound to the sockets' identities. Clients send their own
 * states; the server owns the `user` field and which socket owns which client id.
 * Changes are coalesced and sent to everyone once per flush interval; a joiner gets the
 * states as of the last flush, and every flush after that: never the whole room per join.
 */
export class AwarenessRoom {
  readonly #states = new Map<number, Entry>();
  readonly #dirty = new Map<number, AwarenessEntry>();
  /** Removed client ids: last relayed clock, and whose they were. */
  readonly #tombstones = new Map<number, { clock: number; at: number; userId: string }>();
  #snapshot: Uint8Array | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly limits: LiveLimits,
    private readonly publish: (frame: Uint8Array) => void,
  ) {}

  get size(): number {
    return this.#states.size;
  }

  apply(conn: Connection, entries: IncomingAwarenessEntry[]): void {
    for (const incoming of entries) this.#applyOne(conn, incoming);
  }

  #applyOne(conn: Connection, incoming: IncomingAwarenessEntry): void {
    const existing = this.#states.get(incoming.clientId);
    if (existing && existing.owner !== conn) return; // someone else's (or an echo of it)
    if (existing && incoming.clock <= existing.clientClock) return; // stale
    const tombstone = existing ? undefined : this.#tombstones.get(incoming.clientId);
    // A removed id comes back only for the same user (a reconnecting tab), never as an
    // echo of a departed participant's state from someone else's socket.
    if (tombstone && tombstone.userId !== conn.user.id) return;
    const json = awarenessJson(incoming);
    if (json === null) return;
    if (json === 'null') {
      if (existing) this.#remove(incoming.clientId, existing, incoming.clock + existing.offset);
      return;
    }
    if (!existing && conn.awarenessIds.size >= this.limits.awarenessClientsPerSocket) return;
    if (incoming.raw.length > this.limits.maxAwarenessStateBytes) return;
    let state: unknown;
    try {
      state = JSON.parse(json);
    } catch {
      return;
    }
    if (typeof state !== 'object' || state === null || Array.isArray(state)) return;
    const bound = JSON.stringify({ ...state, user: conn.identity });
    let offset = existing?.offset ?? 0;
    if (!existing) {
      // Relayed clocks must outrank the removal others already hold for this id.
      if (tombstone && tombstone.clock >= incoming.clock)
        offset = tombstone.clock + 1 - incoming.clock;
      this.#tombstones.delete(incoming.clientId);
      conn.awarenessIds.add(incoming.clientId);
    }
    this.#states.set(incoming.clientId, {
      owner: conn,
      clientClock: incoming.clock,
      offset,
      json: bound,
    });
    this.#mark({ clientId: incoming.clientId, clock: incoming.clock + offset, json: bound });
  }

  #remove(clientId: number, entry: Entry, relayedClock: number): void {
    this.#states.delete(clientId);
    entry.owner.awarenessIds.delete(clientId);
    this.#tombstones.set(clientId, {
      clock: relayedClock,
      at: Date.now(),
      userId: entry.owner.user.id,
    });
    this.#mark({ clientId, clock: relayedClock, json: 'null' });
  }

  /** The socket closed: its entries disappear for everyone. */
  removeConnection(conn: Connection): void {
    for (const clientId of [...conn.awarenessIds]) {
      const entry = this.#states.get(clientId);
      if (entry) this.#remove(clientId, entry, entry.clientClock + entry.offset + 1);
    }
    conn.awarenessIds.clear();
  }

  /** Every present state, for a joiner or a query; as of the last flush (cached). */
  snapshotFrame(): Uint8Array | null {
    if (this.#states.size === 0 && this.#dirty.size === 0) return null;
    this.#snapshot ??= awarenessFrame(
      [...this.#states].map(([clientId, e]) => ({
        clientId,
        clock: e.clientClock + e.offset,
        json: e.json,
      })),
    );
    return this.#snapshot;
  }

  #mark(entry: AwarenessEntry): void {
    this.#dirty.set(entry.clientId, entry);
    this.#timer ??= setTimeout(() => this.flush(), this.limits.awarenessFlushMs);
  }

  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#dirty.size === 0) return;
    const frame = awarenessFrame(this.#dirty.values());
    this.#dirty.clear();
    this.#snapshot = null;
    const now = Date.now();
    for (const [id, t] of this.#tombstones)
      if (now - t.at > TOMBSTONE_MS) this.#tombstones.delete(id);
    this.publish(frame);
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
