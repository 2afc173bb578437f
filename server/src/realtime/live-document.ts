import * as Y from 'yjs';
import { AwarenessRoom, keepAliveTickMs, RemotePresence } from './awareness.ts';
import type { Broadcast, BroadcastMessage } from './broadcast.ts';
import { CloseCode } from './close-codes.ts';
import { Connection } from './connection.ts';
import type { LiveLimits } from './limits.ts';
import { PacedSender } from './paced-sender.ts';
import type { LivePersistence, LoadedState } from './persistence.ts';
import { isEmptyUpdate, syncStep1Frame, syncStep2Frame, updateFrame } from './protocol.ts';
import type { DocumentDefinition } from './registry.ts';

/** Transaction origin of `live.change`: the change is already in the doc, not yet durable. */
const SERVER_CHANGE = Symbol('server-change');
/** Transaction origin of what another instance stored (several instances). */
const REMOTE = Symbol('remote');
/** How long a gap in log positions may wait for its message before the log is read. */
const GAP_GRACE_MS = 100;
/** After a failed read of the log (the database is down), the next try waits this long. */
const CATCH_UP_RETRY_MS = 1_000;

interface LogRange {
  from: number;
  to: number;
}

interface Pending {
  update: Uint8Array;
  origin: Connection | null;
  /** Already applied to the doc (a server change): only publish it once durable. */
  applied: boolean;
  done?: (error: Error | null) => void;
}

/**
 * One document in memory: its Y.Doc, sockets and presence, and the write queue that makes
 * every update durable before anyone else sees it.
 */
export class LiveDocument {
  readonly conns = new Set<Connection>();
  readonly awareness: AwarenessRoom;
  /** Several instances: presence held by the others. */
  readonly remotePresence: RemotePresence | null;
  readonly #keepAlives: PacedSender;
  readonly doc: Y.Doc;
  #cachedState: Uint8Array | null = null;
  /** Counts changes to the doc, so a compaction knows whether its encoding is still current. */
  #version = 0;
  #snapshotBytes: number;
  #logBytes: number;
  #logCount: number;
  #lastSeq: string | null;
  #pending: Pending[] = [];
  #pendingBytes = 0;
  #flushing: Promise<void> | null = null;
  #compacting: Promise<void> | null = null;
  #captured: Uint8Array[] = [];
  #unsubscribe: () => void;
  #idleTimer: NodeJS.Timeout | null = null;
  /**
   * Several instances: every row of the document's log up to this position is in the doc.
   * Stored batches of other instances beyond it wait in `#held`; this instance's own, already
   * applied, in `#ownAhead`; a gap that stays open is filled from the log (`catchUp`).
   */
  #applied = 0;
  readonly #held = new Map<number, { range: LogRange; update: Uint8Array }>();
  #ownAhead: LogRange[] = [];
  #gapTimer: NodeJS.Timeout | null = null;
  #catchingUp: Promise<void> | null = null;
  #catchUpFailedAt = 0;
  destroyed = false;

  constructor(
    readonly name: string,
    readonly definition: DocumentDefinition,
    loaded: LoadedState,
    private readonly persistence: LivePersistence,
    private readonly broadcast: Broadcast,
    private readonly limits: LiveLimits,
    private readonly onIdle: (doc: LiveDocument) => void,
    private readonly onError: (error: unknown, doc: LiveDocument) => void,
  ) {
    this.doc = loaded.doc;
    this.#snapshotBytes = loaded.snapshotBytes;
    this.#logBytes = loaded.logBytes;
    this.#logCount = loaded.logCount;
    this.#lastSeq = loaded.lastSeq;
    if (persistence.sequenced) this.#applied = Number(loaded.lastSeq ?? 0);
    this.awareness = new AwarenessRoom(limits, (frame, keepAlive) =>
      this.broadcast.publish(name, {
        frame,
        kind: keepAlive ? 'keep-alive' : 'awareness',
        origin: null,
      }),
    );
    this.#keepAlives = new PacedSender(keepAliveTickMs(limits));
    this.remotePresence = broadcast.shared ? new RemotePresence(limits.awarenessTimeoutMs) : null;
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.#cachedState = null;
      this.#version++;
      if (origin === SERVER_CHANGE) this.#captured.push(update);
      else
        this.broadcast.publish(name, {
          frame: updateFrame(update),
          kind: 'update',
          origin: origin instanceof Connection ? origin : null,
        });
    });
    this.#unsubscribe = this.broadcast.subscribe(name, (message) => this.#onBroadcast(message));
  }

  #onBroadcast(message: BroadcastMessage): void {
    if (message.kind === 'presence-query') {
      const presence = this.awareness.snapshotFrame();
      if (presence && message.remote)
        this.broadcast.publish(this.name, {
          kind: 'awareness',
          frame: presence,
          origin: null,
          elsewhere: true,
        });
      return;
    }
    if (message.remote && message.kind !== 'update') this.remotePresence?.observe(message.frame);
    if (message.kind === 'keep-alive') return this.#keepAlives.send(message.frame, this.conns);
    if (message.remote && message.kind === 'update') {
      // Another instance's stored batch: applied in log order (its relay to our sockets is
      // the doc's update event), never relayed as it came.
      if (message.seq && message.update && !this.destroyed) {
        if (message.seq.to > this.#applied)
          this.#held.set(message.seq.from, { range: message.seq, update: message.update });
        this.#advance();
      }
      return;
    }
    for (const conn of this.conns) if (conn !== message.origin) conn.send(message.frame);
  }

  get pendingCount(): number {
    return this.#pending.length;
  }

  get logCount(): number {
    return this.#logCount;
  }

  // --- sockets ---------------------------------------------------------------------------

  join(conn: Connection): void {
    this.#cancelIdle();
    this.conns.add(conn);
    conn.send(syncStep1Frame(Y.encodeStateVector(this.doc)));
    this.sendPresence(conn);
  }

  /** Everyone's presence as of now, here and (several instances) elsewhere. */
  sendPresence(conn: Connection): void {
    const presence = this.awareness.snapshotFrame();
    if (presence) conn.send(presence);
    const remote = this.remotePresence?.snapshotFrame();
    if (remote) conn.send(remote);
  }

  leave(conn: Connection): void {
    if (!this.conns.delete(conn)) return;
    this.awareness.removeConnection(conn);
    this.#maybeIdle();
  }

  /** Answer to a client's sync step 1: what it lacks; late joiners share one cached encoding. */
  answerStep1(conn: Connection, stateVector: Uint8Array): void {
    const empty = stateVector.length === 1 && stateVector[0] === 0;
    const update = empty
      ? (this.#cachedState ??= Y.encodeStateAsUpdate(this.doc))
      : Y.encodeStateAsUpdate(this.doc, stateVector);
    conn.send(syncStep2Frame(update));
  }

  /** Would this update change the document? (Read-only sockets legitimately send empty diffs.) */
  wouldChange(update: Uint8Array): boolean {
    if (isEmptyUpdate(update)) return false;
    return !Y.snapshotContainsUpdate(Y.snapshot(this.doc), update);
  }

  /** A writer's update: queued, made durable, then applied and relayed. */
  submit(conn: Connection, update: Uint8Array): void {
    if (isEmptyUpdate(update)) return;
    const storedBytes = this.#snapshotBytes + this.#logBytes;
    if (storedBytes + this.#pendingBytes + update.length > this.limits.maxDocumentBytes) {
      conn.close(CloseCode.documentTooLarge, 'document too large');
      return;
    }
    if (this.#pendingBytes + update.length > this.limits.maxPendingBytes) {
      // The database is not keeping up (or is down): refuse rather than grow without bound.
      conn.close(CloseCode.tryAgainLater, 'storage busy');
      return;
    }
    this.#enqueue({ update, origin: conn, applied: false });
  }

  /** A server-side change (`live.change`): resolves once durable and relayed. */
  change(fn: (doc: Y.Doc) => void): Promise<void> {
    // Nothing would store it, and its promise would never settle.
    if (this.destroyed) return Promise.reject(new Error(`live document ${this.name} is unloaded`));
    this.#captured = [];
    this.doc.transact(() => fn(this.doc), SERVER_CHANGE);
    const captured = this.#captured;
    this.#captured = [];
    if (captured.length === 0) return Promise.resolve();
    const update = captured.length === 1 ? captured[0]! : Y.mergeUpdates(captured);
    return new Promise((resolve, reject) =>
      this.#enqueue({
        update,
        origin: null,
        applied: true,
        done: (error) => (error ? reject(error) : resolve()),
      }),
    );
  }

  #enqueue(item: Pending): void {
    this.#cancelIdle();
    this.#pending.push(item);
    this.#pendingBytes += item.update.length;
    this.#startFlushing();
  }

  #startFlushing(): void {
    if (this.#flushing) return;
    this.#flushing = this.#flushLoop()
      .catch((error: unknown) => this.onError(error, this))
      .finally(() => {
        this.#flushing = null;
        // Something queued after the loop's last check but before this ran (a change made
        // the moment the previous one resolved) would otherwise wait forever.
        if (this.#pending.length > 0 && !this.destroyed) this.#startFlushing();
        else this.#maybeIdle();
      });
  }

  /**
   * Group commit: everything that arrived while the previous insert ran goes in the next
   * one. Only after the insert returns is an update applied and relayed.
   */
  async #flushLoop(): Promise<void> {
    while (this.#pending.length > 0 && !this.destroyed) {
      const batch = this.#pending;
      this.#pending = [];
      const batchBytes = batch.reduce((n, p) => n + p.update.length, 0);
      let range: LogRange | null = null;
      try {
        const updates = batch.map((p) => p.update);
        if (this.persistence.sequenced)
          range = await this.persistence.appendSequenced(this.name, updates);
        else this.#lastSeq = await this.persistence.append(this.name, updates);
      } catch (error) {
        this.#pendingBytes -= batchBytes;
        this.#refuseBatch(batch, error);
        continue;
      }
      this.#pendingBytes -= batchBytes;
      this.#logBytes += batchBytes;
      this.#logCount += batch.length;
      for (const item of batch) {
        if (item.applied) {
          this.broadcast.publish(this.name, {
            frame: updateFrame(item.update),
            kind: 'update',
            origin: null,
          });
        } else if (!this.destroyed) {
          try {
            Y.applyUpdate(this.doc, item.update, item.origin);
          } catch (error) {
            // Parsed before it was queued, so this is a Yjs bug, not the client's; keep going.
            this.onError(error, this);
          }
        }
        item.done?.(null);
      }
      if (range) this.#stored(range, batch);
      // Beside the loop, not in it: the next edits need not wait for a snapshot to be written.
      if (this.#logCount >= this.limits.compactAfterUpdates && !this.#compacting)
        void this.compact();
    }
  }

  /** Several instances: our batch is in the log at `range`; the others hear of it. */
  #stored(range: LogRange, batch: Pending[]): void {
    if (this.broadcast.shared) {
      const update =
        batch.length === 1 ? batch[0]!.update : Y.mergeUpdates(batch.map((p) => p.update));
      this.broadcast.publish(this.name, {
        kind: 'update',
        frame: new Uint8Array(0),
        update,
        origin: null,
        seq: range,
      });
    }
    if (range.to > this.#applied) this.#ownAhead.push(range);
    this.#advance();
  }

  /**
   * Moves `#applied` over every batch that now follows it without a hole, applying the held
   * ones; a hole left behind is given `GAP_GRACE_MS` for its message, then read from the log.
   */
  #advance(): void {
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (const range of this.#ownAhead)
        if (range.from <= this.#applied + 1 && range.to > this.#applied) {
          this.#applied = range.to;
          progressed = true;
        }
      this.#ownAhead = this.#ownAhead.filter((r) => r.to > this.#applied);
      for (const [from, held] of this.#held) {
        if (held.range.to <= this.#applied) {
          this.#held.delete(from);
          continue;
        }
        if (from > this.#applied + 1) continue;
        this.#held.delete(from);
        this.#applyRemote([held.update]);
        this.#logCount += held.range.to - this.#applied;
        this.#applied = held.range.to;
        progressed = true;
      }
    }
    if (this.#held.size === 0 && this.#ownAhead.length === 0) {
      if (this.#gapTimer) clearTimeout(this.#gapTimer);
      this.#gapTimer = null;
    } else this.#gapLater();
  }

  #gapLater(): void {
    if (this.#gapTimer || this.destroyed) return;
    const retryIn = this.#catchUpFailedAt + CATCH_UP_RETRY_MS - Date.now();
    this.#gapTimer = setTimeout(
      () => {
        this.#gapTimer = null;
        void this.catchUp();
      },
      Math.max(GAP_GRACE_MS, retryIn),
    );
    this.#gapTimer.unref();
  }

  #applyRemote(updates: Uint8Array[]): void {
    try {
      this.doc.transact(() => {
        for (const update of updates) Y.applyUpdate(this.doc, update);
      }, REMOTE);
    } catch (error) {
      this.onError(error, this);
    }
  }

  /** Several instances: the log's head is `head` (a periodic check): read what we lack. */
  noticeHead(head: number): void {
    if (head > this.#applied) this.#gapLater();
  }

  get appliedSeq(): number {
    return this.#applied;
  }

  /**
   * Several instances: reads from the log every row after `#applied` (and the snapshot, if
   * some were folded into it) and applies them, relaying to our sockets only what is new.
   * After a lost message, a Redis restart, or a partition.
   */
  catchUp(): Promise<void> {
    if (!this.persistence.sequenced || this.destroyed) return Promise.resolve();
    this.#catchingUp ??= (async () => {
      try {
        const since = await this.persistence.readSince(this.name, this.#applied);
        if (this.destroyed || since.head <= this.#applied) return;
        this.#applyRemote(since.snapshot ? [since.snapshot, ...since.updates] : since.updates);
        this.#logCount += since.updates.length;
        this.#applied = since.head;
        this.#catchUpFailedAt = 0;
      } catch (error) {
        this.#catchUpFailedAt = Date.now();
        this.onError(error, this);
      } finally {
        this.#catchingUp = null;
      }
      this.#advance();
    })();
    return this.#catchingUp;
  }

  /**
   * The database refused the batch: nothing in it was acknowledged or relayed. Its senders
   * are told to come back later (they still hold the edits and resend them on resync).
   * A server change is already in memory, so the document is dropped to be rebuilt.
   */
  #refuseBatch(batch: Pending[], error: unknown): void {
    this.onError(error, this);
    for (const item of batch) {
      item.origin?.close(CloseCode.tryAgainLater, 'storage unavailable');
      item.done?.(error instanceof Error ? error : new Error(String(error)));
    }
    if (batch.some((item) => item.applied))
      this.evict(CloseCode.tryAgainLater, 'storage unavailable');
  }

  /**
   * Folds the log into the snapshot. The state is encoded between batches, so it holds
   * exactly the rows up to `lastSeq`; appends may go on while it is written, and stay in
   * the log. One compaction at a time; a call during one waits for it and folds what is left.
   */
  async compact(): Promise<void> {
    while (this.#compacting) await this.#compacting;
    // Several instances: only what every row up to `#applied` is known to be in.
    const through = this.persistence.sequenced ? String(this.#applied) : this.#lastSeq;
    if (!through || through === '0' || this.#logCount === 0) return;
    // A server change already in the doc but not yet stored would be stored by the snapshot
    // even if its own insert then failed: wait for a moment without one.
    if (this.#pending.some((item) => item.applied)) return;
    this.#compacting = this.#fold(through).finally(() => {
      this.#compacting = null;
    });
    return this.#compacting;
  }

  async #fold(throughSeq: string): Promise<void> {
    const state = Y.encodeStateAsUpdate(this.doc);
    const version = this.#version;
    const folded = { count: this.#logCount, bytes: this.#logBytes };
    try {
      // Skipped: another instance is folding, or folded further (it goes on doing so).
      const done = await this.persistence.compact(this.name, state, throughSeq);
      this.#logCount -= folded.count;
      this.#logBytes -= folded.bytes;
      if (!done) return;
      this.#snapshotBytes = state.length;
      if (this.#version === version) this.#cachedState = state;
    } catch (error) {
      // Not fatal: the log still holds everything; try again after the next batch.
      this.onError(error, this);
    }
  }

  /** Waits until everything queued so far is durable (or refused). */
  async drain(): Promise<void> {
    while (this.#flushing || this.#compacting) await (this.#flushing ?? this.#compacting);
  }

  // --- lifetime --------------------------------------------------------------------------

  #cancelIdle(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
  }

  /** Starts the idle countdown if nobody uses the document (e.g. after a socket gave up). */
  idleCheck(): void {
    this.#maybeIdle();
  }

  #maybeIdle(): void {
    if (this.destroyed || this.conns.size > 0 || this.#flushing || this.#idleTimer) return;
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = null;
      if (this.conns.size === 0 && !this.#flushing) this.onIdle(this);
    }, this.limits.idleUnloadMs);
    this.#idleTimer.unref();
  }

  /** Closes every socket and forgets the document (it is rebuilt from storage on next use). */
  evict(code: Parameters<Connection['close']>[0], reason: string): void {
    for (const conn of this.conns) conn.close(code, reason);
    this.onIdle(this);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.#cancelIdle();
    if (this.#gapTimer) clearTimeout(this.#gapTimer);
    this.#gapTimer = null;
    // Nothing queued now will be stored: say so rather than leave its callers waiting.
    const orphans = this.#pending;
    this.#pending = [];
    this.#pendingBytes = 0;
    for (const item of orphans) {
      item.origin?.close(CloseCode.tryAgainLater, 'document unloaded');
      item.done?.(new Error(`live document ${this.name} was unloaded before storing a change`));
    }
    this.awareness.stop();
    this.#keepAlives.stop();
    this.#unsubscribe();
    this.doc.destroy();
  }
}
