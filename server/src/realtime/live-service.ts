import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import * as Y from 'yjs';
import type { Db } from '@tongxin/db/create-db';
import type { User } from '@tongxin/db/database';
import type { Broadcast, ControlMessage } from './broadcast.ts';
import { UserBudgets } from './budget.ts';
import type { SharedLimits } from './shared-limits.ts';
import { CloseCode, type CloseCodeValue } from './close-codes.ts';
import { Connection } from './connection.ts';
import type { LiveLimits } from './limits.ts';
import { LiveDocument } from './live-document.ts';
import { LivePersistence } from './persistence.ts';
import { createProjection, type Projection, type ProjectionDefinition } from './projection.ts';
import { carriesStructs, checkUpdate, MalformedMessage, parseMessage } from './protocol.ts';
import { decideAccess, DocumentRegistry, type DocumentDefinition } from './registry.ts';
import { SessionCache } from './session-cache.ts';

/** Checks a session token again: the user while it is valid, null once expired or deleted. */
export type SessionValidator = (token: string) => Promise<User | null>;

/** What the upgrade hooks decided before the 101. */
export type Admission =
  { ok: true; access: 'read' | 'write' } | { ok: false; code: CloseCodeValue; reason: string };

// Frames a socket may send before its document has loaded.
const MAX_EARLY_FRAMES = 64;
// y-websocket clients echo the room's changes back, so one message may list many entries.
const MAX_AWARENESS_ENTRIES = 20_000;
const PING_INTERVAL_MS = 30_000;
/**
 * Several instances: how often the heads of the documents held here are read, so a message
 * lost with nothing after it (the last edit of a burst) is still fetched from the log.
 */
const CLUSTER_CHECK_MS = 2_000;

export interface LiveStats {
  documents: number;
  connections: number;
}

/**
 * The live-document server as features see it (`app.live`): register documents, change
 * server-owned ones, and close sockets when rights change.
 */
export class LiveService {
  readonly #registry = new DocumentRegistry();
  readonly #persistence: LivePersistence;
  readonly #docs = new Map<string, Promise<LiveDocument>>();
  readonly #byUser = new Map<string, Set<Connection>>();
  /** Bytes and server time per user across their sockets (`admitFrame`). */
  readonly #budgets: UserBudgets;
  /**
   * Each socket's connection, for listeners shared by every socket (`this` is the socket):
   * three closures per socket would cost more than the connection itself.
   */
  readonly #bySocket = new WeakMap<WebSocket, Connection>();
  /** Each socket's document once loaded (kept here so a connection need not know documents). */
  readonly #docOf = new WeakMap<Connection, LiveDocument>();
  readonly #listeners = listenersFor(this.#bySocket, {
    message: (conn, data, isBinary) => this.#onMessage(conn, data, isBinary),
    pong: (conn) => {
      conn.alive = true;
    },
    close: (conn) => this.#onClose(conn),
  });
  readonly #pingTimer: NodeJS.Timeout;
  readonly #recheckTimer: NodeJS.Timeout;
  readonly #clusterTimer: NodeJS.Timeout | null = null;
  #rechecking = false;
  #closing = false;
  /** Sessions validated recently; read by the upgrade's session hook (`/yjs/` only). */
  readonly sessionCache: SessionCache;

  constructor(
    db: Db,
    readonly limits: LiveLimits,
    /** Public for tests (the Redis one has a seam that drops messages). */
    readonly broadcast: Broadcast,
    private readonly log: FastifyBaseLogger,
    private readonly validateSession: SessionValidator,
    /** Several instances: the socket cap and budgets held across them (Redis). */
    private readonly shared: SharedLimits | null = null,
  ) {
    this.#persistence = new LivePersistence(db, broadcast.shared);
    this.#budgets = new UserBudgets(limits);
    this.sessionCache = new SessionCache(limits.sessionCacheMs);
    this.#pingTimer = setInterval(() => this.#pingAll(), PING_INTERVAL_MS);
    this.#pingTimer.unref();
    this.#recheckTimer = setInterval(() => void this.recheckSessions(), limits.sessionRecheckMs);
    this.#recheckTimer.unref();
    if (broadcast.shared) {
      broadcast.onControl((message) => void this.#onControl(message));
      broadcast.onResync(() => void this.#catchUpAll());
      this.#clusterTimer = setInterval(() => void this.#checkHeads(), CLUSTER_CHECK_MS);
      this.#clusterTimer.unref();
    }
    shared?.start(() => this.#socketCounts(), this.#budgets);
  }

  *#socketCounts(): Iterable<[string, number]> {
    for (const [userId, conns] of this.#byUser) yield [userId, conns.size];
  }

  // --- several instances -----------------------------------------------------------------

  /** Another instance's logout, password change or rights change: acted on here too. */
  async #onControl(message: ControlMessage): Promise<void> {
    try {
      switch (message.type) {
        case 'close-session':
          return this.#closeSession(message.token);
        case 'close-user':
          return this.#closeUserSessions(message.userId, message.exceptToken);
        case 'recheck-user':
          return await this.#recheckUser(message.userId);
        case 'recheck-document':
          return await this.#recheckDocument(message.docName);
        case 'refresh':
          return await this.#refresh(message.docName);
      }
    } catch (error) {
      this.log.warn({ err: error, control: message.type }, 'live control message failed');
    }
  }

  async #loaded(): Promise<LiveDocument[]> {
    const docs = await Promise.all([...this.#docs.values()].map((p) => p.catch(() => null)));
    return docs.filter((d): d is LiveDocument => d !== null && !d.destroyed);
  }

  /** Redis came back: every document reads what it missed. */
  async #catchUpAll(): Promise<void> {
    for (const doc of await this.#loaded()) void doc.catchUp();
  }

  async #checkHeads(): Promise<void> {
    if (this.#closing) return;
    try {
      const docs = await this.#loaded();
      const heads = await this.#persistence.heads(docs.map((d) => d.name));
      for (const doc of docs) doc.noticeHead(heads.get(doc.name) ?? 0);
    } catch (error) {
      this.log.warn({ err: error }, 'live head check failed');
    }
  }

  /** Readiness of the fan-out (Redis with several instances): null when fine. */
  broadcastProblem(): Promise<string | null> {
    return this.broadcast.problem();
  }

  /** Features declare their documents: a name pattern, who may read or write, a seed. */
  registerDocument(definition: DocumentDefinition): void {
    this.#registry.register(definition);
  }

  /**
   * A server-owned document projected from the database: rebuilt on every load and after
   * every `publish` (see `projection.ts`).
   */
  registerProjection(definition: ProjectionDefinition): Projection {
    return createProjection(this, definition, (error) =>
      this.log.warn({ err: error, prefix: definition.prefix }, 'live projection not published'),
    );
  }

  /**
   * The facts behind a document with a `refresh` changed (after a commit): if the document
   * is in memory, its refresh runs again. One that is not needs nothing: loading refreshes.
   * The read happens after any load in progress, so it never overtakes the load's own.
   */
  async refresh(docName: string): Promise<void> {
    // Several instances: one that holds the document stores the change and it crosses as
    // any update; held elsewhere only, those instances project it from the database.
    if (!this.#docs.has(docName)) this.broadcast.publishControl({ type: 'refresh', docName });
    return this.#refresh(docName);
  }

  async #refresh(docName: string): Promise<void> {
    const pending = this.#docs.get(docName);
    const definition = this.#registry.find(docName);
    if (!pending || !definition?.refresh) return;
    const doc = await pending.catch(() => null);
    if (!doc) return; // failed to load: the next load reads the database anyway
    const fn = await definition.refresh(docName);
    if (doc.destroyed) return; // unloaded meanwhile: same
    await doc.change(fn);
    doc.idleCheck();
  }

  /**
   * Writes a document from the server (the only way server-owned documents change).
   * Resolves once the change is durable and on its way to every socket.
   */
  async change(docName: string, fn: (doc: Y.Doc) => void): Promise<void> {
    const doc = await this.#open(docName);
    await doc.change(fn);
    doc.idleCheck();
  }

  /** The document's current state as one Yjs update (e.g. to save final text relationally). */
  async state(docName: string): Promise<Uint8Array> {
    const doc = await this.#open(docName);
    doc.idleCheck();
    return Y.encodeStateAsUpdate(doc.doc);
  }

  /** Logout: that session's sockets close now, on every instance. */
  closeSession(token: string): void {
    this.broadcast.publishControl({ type: 'close-session', token });
    this.#closeSession(token);
  }

  #closeSession(token: string): void {
    this.sessionCache.delete(token);
    for (const conns of this.#byUser.values())
      for (const conn of conns)
        if (conn.sessionToken === token) conn.close(CloseCode.sessionEnded, 'session ended');
  }

  /** Password changed, account removed: every socket of the user but `exceptToken`'s. */
  closeUserSessions(userId: string, exceptToken?: string): void {
    this.broadcast.publishControl({
      type: 'close-user',
      userId,
      ...(exceptToken === undefined ? {} : { exceptToken }),
    });
    this.#closeUserSessions(userId, exceptToken);
  }

  #closeUserSessions(userId: string, exceptToken?: string): void {
    this.sessionCache.deleteUser(userId, exceptToken);
    for (const conn of this.#byUser.get(userId) ?? [])
      if (conn.sessionToken !== exceptToken) conn.close(CloseCode.sessionEnded, 'session ended');
  }

  /**
   * A user's roles changed: each of their sockets is judged again. Lost access closes it
   * for good (4403); changed access closes it so the client reconnects with the new rights.
   */
  async recheckUser(userId: string, user?: User): Promise<void> {
    this.broadcast.publishControl({ type: 'recheck-user', userId });
    await this.#recheckUser(userId, user);
  }

  async #recheckUser(userId: string, user?: User): Promise<void> {
    for (const conn of [...(this.#byUser.get(userId) ?? [])]) {
      const definition = this.#registry.find(conn.docName);
      const access = definition
        ? await decideAccess(definition, user ?? conn.user, conn.docName)
        : 'none';
      if (access === 'none') conn.close(CloseCode.forbidden, 'access revoked');
      else if (access !== conn.access) conn.close(CloseCode.rightsChanged, 'rights changed');
    }
  }

  /**
   * A document's rules changed (a meeting moved on, minutes were frozen): every socket on it
   * is judged again, as in `recheckUser`.
   */
  async recheckDocument(docName: string): Promise<void> {
    this.broadcast.publishControl({ type: 'recheck-document', docName });
    await this.#recheckDocument(docName);
  }

  async #recheckDocument(docName: string): Promise<void> {
    const definition = this.#registry.find(docName);
    for (const conns of this.#byUser.values())
      for (const conn of [...conns]) {
        if (conn.docName !== docName || conn.closed) continue;
        const access = definition ? await decideAccess(definition, conn.user, docName) : 'none';
        if (access === 'none') conn.close(CloseCode.forbidden, 'access revoked');
        else if (access !== conn.access) conn.close(CloseCode.rightsChanged, 'rights changed');
      }
  }

  /**
   * Long-lived sockets outlive their session's expiry: every `sessionRecheckMs` each session
   * that still has sockets is validated once (one check per session, not per socket), and
   * the sockets of an expired or deleted one close with 4401.
   */
  async recheckSessions(): Promise<void> {
    if (this.#rechecking || this.#closing) return;
    this.#rechecking = true;
    try {
      const byToken = new Map<string, Connection[]>();
      for (const conns of this.#byUser.values())
        for (const conn of conns) {
          if (conn.closed || !conn.sessionToken) continue;
          const list = byToken.get(conn.sessionToken);
          if (list) list.push(conn);
          else byToken.set(conn.sessionToken, [conn]);
        }
      for (const [token, conns] of byToken) {
        let user: User | null;
        try {
          user = await this.sessionCache.refresh(token, () => this.validateSession(token));
        } catch (error) {
          // The database is down: keep the sockets, try again next round.
          this.log.warn({ err: error }, 'live session re-check failed');
          continue;
        }
        if (user) continue;
        this.sessionCache.delete(token);
        for (const conn of conns) conn.close(CloseCode.sessionEnded, 'session ended');
      }
    } finally {
      this.#rechecking = false;
    }
  }

  /** Draining (SIGTERM): the balancer should send no one here any more. */
  get closing(): boolean {
    return this.#closing;
  }

  stats(): LiveStats {
    let connections = 0;
    for (const set of this.#byUser.values()) connections += set.size;
    return { documents: this.#docs.size, connections };
  }

  /** Waits until every update received so far is durable. */
  async flush(): Promise<void> {
    for (const pending of [...this.#docs.values()]) {
      const doc = await pending.catch(() => null);
      await doc?.drain();
    }
  }

  // --- admission and sockets -------------------------------------------------------------

  /** Runs before the 101: which documents exist and what this user may do on them. */
  async admit(user: User, docName: string): Promise<Admission> {
    const definition = this.#registry.find(docName);
    if (!definition)
      return { ok: false, code: CloseCode.unknownDocument, reason: 'unknown document' };
    const access = await decideAccess(definition, user, docName);
    if (access === 'none') return { ok: false, code: CloseCode.forbidden, reason: 'forbidden' };
    return { ok: true, access };
  }

  /** Called synchronously after the upgrade, so no frame is missed while the doc loads. */
  accept(
    socket: WebSocket,
    user: User,
    sessionToken: string | null,
    docName: string,
    admission: Admission,
  ): void {
    if (!admission.ok) {
      socket.close(admission.code, admission.reason);
      return;
    }
    if (this.#closing) {
      socket.close(CloseCode.serviceRestart, 'shutting down');
      return;
    }
    let mine = this.#byUser.get(user.id);
    if ((mine?.size ?? 0) >= this.limits.connectionsPerUser) {
      socket.close(CloseCode.tooMany, 'too many connections');
      return;
    }
    // A phone with several documents open shares one copy of its session token.
    const sibling = mine?.values().next().value;
    if (sibling && sibling.sessionToken === sessionToken) sessionToken = sibling.sessionToken;
    const conn = new Connection(
      socket,
      user,
      sessionToken,
      docName,
      admission.access,
      this.limits,
      this.#budgets,
    );
    if (!mine) this.#byUser.set(user.id, (mine = new Set()));
    mine.add(conn);
    // Several instances: the cap counts the user's sockets on the others too. Asked after the
    // upgrade (frames wait in `early` while the document loads anyway); Redis away, admitted.
    if (this.shared)
      void this.shared
        .admitSocket(user.id, mine.size, this.limits.connectionsPerUser)
        .then((admitted) => {
          if (!admitted) conn.close(CloseCode.tooMany, 'too many connections');
        });
    this.#bySocket.set(socket, conn);
    socket.on('message', this.#listeners.message);
    socket.on('pong', this.#listeners.pong);
    socket.on('close', this.#listeners.close);

    this.#open(docName).then(
      (loaded) => {
        if (conn.closed) return loaded.idleCheck();
        this.#docOf.set(conn, loaded);
        loaded.join(conn);
        const early = conn.early ?? [];
        conn.early = null;
        for (const frame of early) this.#handle(conn, loaded, frame);
      },
      (error: unknown) => {
        this.log.error({ err: error, docName }, 'live document failed to load');
        conn.close(CloseCode.tryAgainLater, 'storage unavailable');
      },
    );
  }

  #onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    if (conn.closed) return;
    if (!isBinary) return conn.close(CloseCode.malformed, 'binary y-protocol only');
    const frame = toBytes(data);
    // Rates of messages, bytes and server time, per socket and per user: before parsing.
    const refused = conn.admitFrame(frame.byteLength);
    if (refused) return conn.close(CloseCode.tryAgainLater, refused);
    const doc = this.#docOf.get(conn);
    if (doc) return this.#handle(conn, doc, frame);
    conn.early ??= [];
    if (conn.early.length >= MAX_EARLY_FRAMES)
      return conn.close(CloseCode.tryAgainLater, 'too many messages');
    conn.early.push(frame);
  }

  #onClose(conn: Connection): void {
    conn.closed = true;
    const mine = this.#byUser.get(conn.user.id);
    if (mine?.delete(conn) && mine.size === 0) this.#byUser.delete(conn.user.id);
    this.shared?.socketsHere(conn.user.id, mine?.size ?? 0);
    this.#docOf.get(conn)?.leave(conn);
  }

  #handle(conn: Connection, doc: LiveDocument, frame: Uint8Array): void {
    if (conn.closed) return;
    const started = performance.now();
    try {
      const message = parseMessage(frame, MAX_AWARENESS_ENTRIES);
      switch (message.type) {
        case 'sync-step1':
          return doc.answerStep1(conn, message.stateVector);
        case 'sync-step2':
        case 'update':
          if (conn.access === 'write') {
            checkUpdate(message.update);
            return doc.submit(conn, message.update);
          }
          // Read-only: never decoded, applied nor relayed. A diff without items is the
          // normal answer to step 1; one with items counts against the socket.
          if (carriesStructs(message.update) && ++conn.strikes >= this.limits.readOnlyStrikes)
            conn.close(CloseCode.readOnly, 'read-only document');
          return;
        case 'awareness':
          return doc.awareness.apply(conn, message.entries);
        case 'query-awareness':
          return doc.sendPresence(conn);
      }
    } catch (error) {
      if (error instanceof MalformedMessage) {
        conn.close(CloseCode.malformed, error.message);
        return;
      }
      this.log.error({ err: error, docName: doc.name }, 'live message failed');
      conn.close(CloseCode.internalError, 'internal error');
    } finally {
      conn.spent(performance.now() - started);
    }
  }

  #open(docName: string): Promise<LiveDocument> {
    if (this.#closing) return Promise.reject(new Error('live server is closing'));
    let pending = this.#docs.get(docName);
    if (!pending) {
      pending = this.#load(docName);
      this.#docs.set(docName, pending);
      pending.catch(() => {
        if (this.#docs.get(docName) === pending) this.#docs.delete(docName);
      });
    }
    return pending;
  }

  async #load(docName: string): Promise<LiveDocument> {
    const definition = this.#registry.find(docName);
    if (!definition) throw new Error(`no live document matches ${docName}`);
    const loaded = await this.#persistence.load(docName);
    const doc = new LiveDocument(
      docName,
      definition,
      loaded,
      this.#persistence,
      this.broadcast,
      this.limits,
      (idle) => this.#unload(idle),
      (error, which) => this.log.error({ err: error, docName: which.name }, 'live document error'),
    );
    // A long log (the server stopped before compacting) is folded in now, so the next load
    // reads one snapshot and late joiners get the encoding compaction leaves cached.
    if (loaded.logCount >= this.limits.compactAfterUpdates) await doc.compact();
    // Seeded once: only when nothing was ever stored, and the seed itself is stored.
    if (loaded.fresh && definition.seed) {
      const scratch = new Y.Doc();
      await definition.seed(scratch, docName);
      const seed = Y.encodeStateAsUpdate(scratch);
      scratch.destroy();
      await doc.change((d) => Y.applyUpdate(d, seed));
    }
    if (definition.refresh) await doc.change(await definition.refresh(docName));
    return doc;
  }

  #unload(doc: LiveDocument): void {
    const current = this.#docs.get(doc.name);
    void current?.then((d) => {
      if (d === doc) this.#docs.delete(doc.name);
    });
    // Compaction on the way out keeps the next load short; a reload meanwhile reads
    // either side of the (transactional) compaction and is correct both ways.
    const finish = doc.logCount > 0 ? doc.compact() : Promise.resolve();
    void finish.finally(() => doc.destroy());
  }

  #pingAll(): void {
    for (const conns of this.#byUser.values()) {
      for (const conn of conns) {
        if (!conn.alive) {
          conn.socket.terminate();
          continue;
        }
        conn.alive = false;
        try {
          conn.socket.ping();
        } catch {
          conn.socket.terminate();
        }
      }
    }
  }

  /** SIGTERM: stop accepting, tell clients, and make everything received durable. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    clearInterval(this.#pingTimer);
    clearInterval(this.#recheckTimer);
    if (this.#clusterTimer) clearInterval(this.#clusterTimer);
    this.sessionCache.clear();
    for (const conns of this.#byUser.values())
      for (const conn of conns) conn.close(CloseCode.serviceRestart, 'server restarting');
    for (const pending of this.#docs.values()) {
      const doc = await pending.catch(() => null);
      if (!doc) continue;
      await doc.drain();
      doc.awareness.stop();
      if (doc.logCount > 0) await doc.compact();
      doc.destroy();
    }
    this.#docs.clear();
    await this.shared?.close();
    await this.broadcast.close();
  }
}

/** Socket listeners, made once per service, that hand each event to the socket's connection. */
function listenersFor(
  bySocket: WeakMap<WebSocket, Connection>,
  on: {
    message(conn: Connection, data: RawData, isBinary: boolean): void;
    pong(conn: Connection): void;
    close(conn: Connection): void;
  },
) {
  return {
    message(this: WebSocket, data: RawData, isBinary: boolean) {
      const conn = bySocket.get(this);
      if (conn) on.message(conn, data, isBinary);
    },
    pong(this: WebSocket) {
      const conn = bySocket.get(this);
      if (conn) on.pong(conn);
    },
    close(this: WebSocket) {
      const conn = bySocket.get(this);
      if (conn) on.close(conn);
    },
  };
}

function toBytes(data: RawData): Uint8Array {
  // A copy: ws may hand out a view into a larger pooled buffer.
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  return new Uint8Array(data instanceof ArrayBuffer ? data.slice(0) : data);
}
