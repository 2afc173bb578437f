import type { Connection } from './connection.ts';
import type { LiveLimits } from './limits.ts';
import {
  awarenessFrame,
  awarenessJson,
  parseMessage,
  type AwarenessEntry,
  type IncomingAwarenessEntry,
} from './protocol.ts';

interface Entry {
  owner: Connection;
  /** The last clock the client sent; staleness is judged on the client's own clocks. */
  clientClock: number;
  /**
   * Added to the client's clock when relaying: a returning client id must outrank the removal
   * we sent for it, and a keep-alive must outrank the last relay.
   */
  offset: number;
  /** The state as relayed, with the server's `user`. */
  json: string;
  /** The last clock relayed for it, when, and when the client last sent it (ms). */
  relayedClock: number;
  relayedAt: number;
  renewedAt: number;
}

// How long a removed client id's last clock is remembered (a reconnect comes well before).
const TOMBSTONE_MS = 60_000;
// Keep-alives are checked this many times per keep-alive period.
const KEEP_ALIVE_TICKS = 20;

/** How often due keep-alives go out (each tick's frame may be spread over the next tick). */
export const keepAliveTickMs = (limits: LiveLimits) =>
  limits.awarenessKeepAliveMs / KEEP_ALIVE_TICKS;

/**
 * Presence for one document, bound to the sockets' identities. Clients send their own
 * states; the server owns the `user` field and which socket owns which client id.
 * Changes are coalesced and sent to everyone once per flush interval; a joiner gets the
 * states as of the last flush, and every flush after that: never the whole room per join.
 *
 * Keep-alives: y-protocols clients renew their unchanged state every 15 s, and a thousand
 * phones that joined together renew together: relayed as they come, each wave would be a
 * thousand states to a thousand sockets at once, each echoed back (clients re-send whatever
 * they receive). So an unchanged renewal only marks its client alive; the server renews
 * each state for everyone itself, every `awarenessKeepAliveMs`, phases spread at random over
 * the first period (never in its first quarter), so a room's keep-alives arrive as a steady
 * trickle. Each tick's renewals go out as a `keep-alive` frame, which the document spreads
 * over the next tick (see `PacedSender`): every client decodes and echoes every renewal, and
 * one frame to all sockets at once made each edit arriving then wait behind a thousand of
 * those.
 */
export class AwarenessRoom {
  readonly #states = new Map<number, Entry>();
  readonly #dirty = new Map<number, AwarenessEntry>();
  /** Removed client ids: last relayed clock, and whose they were. */
  readonly #tombstones = new Map<number, { clock: number; at: number; userId: string }>();
  #snapshot: Uint8Array | null = null;
  #timer: NodeJS.Timeout | null = null;
  #keepAlive: NodeJS.Timeout | null = null;

  constructor(
    private readonly limits: LiveLimits,
    /** `keepAlive`: renewals only, which may reach the sockets over the next tick. */
    private readonly publish: (frame: Uint8Array, keepAlive: boolean) => void,
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
      if (existing) {
        existing.clientClock = incoming.clock;
        this.#remove(incoming.clientId, existing, nextClock(existing));
      }
      return;
    }
    const now = Date.now();
    // The owner echoing our relay of its state: alive, nothing new.
    if (existing && json === existing.json) return this.#renewed(existing, incoming.clock, now);
    if (!existing && (conn.awarenessIds?.length ?? 0) >= this.limits.awarenessClientsPerSocket)
      return;
    if (incoming.raw.length > this.limits.maxAwarenessStateBytes) return;
    let state: unknown;
    try {
      state = JSON.parse(json);
    } catch {
      return;
    }
    if (typeof state !== 'object' || state === null || Array.isArray(state)) return;
    const bound = JSON.stringify({ ...state, user: conn.identity });
    // An unchanged renewal (y-protocols sends one every 15 s): alive, nothing new.
    if (existing && bound === existing.json) return this.#renewed(existing, incoming.clock, now);
    if (existing) {
      existing.json = bound;
      this.#renewed(existing, incoming.clock, now);
      this.#relay(incoming.clientId, existing, now);
      return;
    }
    // Relayed clocks must outrank the removal others already hold for this id.
    const offset =
      tombstone && tombstone.clock >= incoming.clock ? tombstone.clock + 1 - incoming.clock : 0;
    this.#tombstones.delete(incoming.clientId);
    (conn.awarenessIds ??= []).push(incoming.clientId);
    const entry: Entry = {
      owner: conn,
      clientClock: incoming.clock,
      offset,
      json: bound,
      relayedClock: 0,
      relayedAt: 0,
      renewedAt: now,
    };
    this.#states.set(incoming.clientId, entry);
    // The first keep-alive comes at a random point between a quarter of a period and a whole
    // one after the join, so a room that joined at once is renewed as a trickle, and a state
    // everyone has just been sent is not sent again at once.
    const period = this.limits.awarenessKeepAliveMs;
    this.#relay(incoming.clientId, entry, now - 0.75 * period * (1 - Math.random()));
  }

  #renewed(entry: Entry, clientClock: number, now: number): void {
    entry.clientClock = clientClock;
    entry.renewedAt = now;
  }

  /** Queues the entry for the next flush with a clock that outranks its last relay. */
  #relay(clientId: number, entry: Entry, at: number): void {
    this.#mark(this.#advance(clientId, entry, at));
  }

  /** The entry as relayed next, with a clock that outranks its last relay. */
  #advance(clientId: number, entry: Entry, at: number): AwarenessEntry {
    const clock = nextClock(entry);
    entry.offset = clock - entry.clientClock;
    entry.relayedClock = clock;
    entry.relayedAt = at;
    this.#keepAlive ??= setInterval(
      () => this.#renewStates(),
      keepAliveTickMs(this.limits),
    ).unref();
    return { clientId, clock, json: entry.json };
  }

  /**
   * Renews states due for a keep-alive, in a frame of their own that may be paced; drops
   * those whose client stopped renewing (a change, sent with the next flush).
   */
  #renewStates(): void {
    const now = Date.now();
    const renewals: AwarenessEntry[] = [];
    for (const [clientId, entry] of this.#states) {
      if (now - entry.relayedAt < this.limits.awarenessKeepAliveMs) continue;
      if (now - entry.renewedAt > this.limits.awarenessTimeoutMs)
        this.#remove(clientId, entry, nextClock(entry));
      else renewals.push(this.#advance(clientId, entry, now));
    }
    if (renewals.length > 0) {
      this.#snapshot = null;
      this.publish(awarenessFrame(renewals), true);
    }
    if (this.#states.size === 0 && this.#keepAlive) {
      clearInterval(this.#keepAlive);
      this.#keepAlive = null;
    }
  }

  #remove(clientId: number, entry: Entry, relayedClock: number): void {
    this.#states.delete(clientId);
    const ids = entry.owner.awarenessIds;
    const at = ids ? ids.indexOf(clientId) : -1;
    if (ids && at >= 0) ids.splice(at, 1);
    this.#tombstones.set(clientId, {
      clock: relayedClock,
      at: Date.now(),
      userId: entry.owner.user.id,
    });
    this.#mark({ clientId, clock: relayedClock, json: 'null' });
  }

  /** The socket closed: its entries disappear for everyone. */
  removeConnection(conn: Connection): void {
    for (const clientId of [...(conn.awarenessIds ?? [])]) {
      const entry = this.#states.get(clientId);
      if (entry) this.#remove(clientId, entry, nextClock(entry));
    }
    conn.awarenessIds = null;
  }

  /**
   * Every present state, for a joiner or a query; as of the last flush (cached). A state
   * waiting for the next flush is left out: it reaches the joiner with that flush, and sent
   * in both the joiner got it twice.
   */
  snapshotFrame(): Uint8Array | null {
    if (this.#snapshot === null) {
      const entries: AwarenessEntry[] = [];
      for (const [clientId, e] of this.#states)
        if (!this.#dirty.has(clientId))
          entries.push({ clientId, clock: e.relayedClock, json: e.json });
      if (entries.length === 0) return null;
      this.#snapshot = awarenessFrame(entries);
    }
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
    this.publish(frame, false);
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#keepAlive) clearInterval(this.#keepAlive);
    this.#timer = null;
    this.#keepAlive = null;
  }
}

/** The clock of an entry's next relay: the client's own, or one past the last relay. */
function nextClock(entry: Entry): number {
  return Math.max(entry.clientClock + entry.offset, entry.relayedClock + 1);
}

/**
 * Several instances: the presence other instances relayed for one document, so a phone that
 * joins here sees people on other instances at once, not at their next renewal. Entries
 * nobody renewed within the awareness time-out (their instance died) are left out.
 */
export class RemotePresence {
  readonly #states = new Map<number, { clock: number; json: string; seenAt: number }>();

  constructor(private readonly timeoutMs: number) {}

  /** A relayed awareness or keep-alive frame from another instance. */
  observe(frame: Uint8Array): void {
    let message;
    try {
      message = parseMessage(frame, Number.MAX_SAFE_INTEGER);
    } catch {
      return;
    }
    if (message.type !== 'awareness') return;
    const now = Date.now();
    for (const entry of message.entries) {
      const json = awarenessJson(entry);
      if (json === null) continue;
      const known = this.#states.get(entry.clientId);
      if (known && known.clock > entry.clock) continue;
      if (json === 'null') this.#states.delete(entry.clientId);
      else this.#states.set(entry.clientId, { clock: entry.clock, json, seenAt: now });
    }
  }

  /** Their states as one frame, or null when there are none. */
  snapshotFrame(): Uint8Array | null {
    const cutoff = Date.now() - this.timeoutMs;
    const entries: AwarenessEntry[] = [];
    for (const [clientId, s] of this.#states) {
      if (s.seenAt < cutoff) this.#states.delete(clientId);
      else entries.push({ clientId, clock: s.clock, json: s.json });
    }
    return entries.length > 0 ? awarenessFrame(entries) : null;
  }
}
