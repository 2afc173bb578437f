/** Tunable limits of the live server; the defaults suit phones in a meeting room. */
export interface LiveLimits {
  /** Largest WebSocket frame accepted; bigger ones close the socket with 1009. */
  maxMessageBytes: number;
  /**
   * Sustained messages per second per socket, and the burst allowed above it; a socket above
   * it is closed with 1013 (retryable: the client backs off and resyncs).
   */
  messagesPerSecond: number;
  messageBurst: number;
  /**
   * Bytes per second one socket may send, sustained, and the burst above it; all of one
   * user's sockets together get `userBytesPerSecond` / `userByteBurst`. Past either the
   * socket is closed with 1013. Counted on every frame before it is parsed.
   */
  bytesPerSecond: number;
  byteBurst: number;
  userBytesPerSecond: number;
  userByteBurst: number;
  /**
   * Milliseconds of server time per second spent handling one socket's frames (decoding,
   * applying, answering), sustained, and the burst above it; the same per user. A frame is
   * refused (1013) while the socket or its user is in debt.
   */
  cpuMsPerSecond: number;
  cpuBurstMs: number;
  userCpuMsPerSecond: number;
  userCpuBurstMs: number;
  /** Largest stored size of a document (snapshot plus log); updates beyond are refused. */
  maxDocumentBytes: number;
  /** Open sockets per user across all documents. */
  connectionsPerUser: number;
  /** Largest awareness state (JSON) per client; bigger ones are dropped. */
  maxAwarenessStateBytes: number;
  /** Awareness client ids one socket may own (a tab has one; a few for safety). */
  awarenessClientsPerSocket: number;
  /** How often coalesced awareness changes are sent out. */
  awarenessFlushMs: number;
  /**
   * How often the server renews each present state for everyone (y-protocols clients drop a
   * state not renewed for 30 s). Clients' own unchanged renewals are absorbed, not relayed.
   */
  awarenessKeepAliveMs: number;
  /** A client that renews its state for this long no more is taken as gone. */
  awarenessTimeoutMs: number;
  /** Refused updates a read-only socket may send before it is closed. */
  readOnlyStrikes: number;
  /** Log rows after which a document is compacted into its snapshot. */
  compactAfterUpdates: number;
  /** A document with no sockets leaves memory after this long. */
  idleUnloadMs: number;
  /** Pending (not yet durable) update bytes per document before new ones are refused. */
  maxPendingBytes: number;
  /** How often open sockets' sessions are checked again (expired or deleted: closed, 4401). */
  sessionRecheckMs: number;
  /** How long a validated session is reused for new upgrades without asking the database. */
  sessionCacheMs: number;
}

export const DEFAULT_LIVE_LIMITS: LiveLimits = {
  maxMessageBytes: 1024 * 1024,
  messagesPerSecond: 100,
  messageBurst: 300,
  bytesPerSecond: 512 * 1024,
  byteBurst: 4 * 1024 * 1024,
  userBytesPerSecond: 1024 * 1024,
  userByteBurst: 8 * 1024 * 1024,
  cpuMsPerSecond: 200,
  cpuBurstMs: 2000,
  userCpuMsPerSecond: 300,
  userCpuBurstMs: 3000,
  maxDocumentBytes: 32 * 1024 * 1024,
  connectionsPerUser: 20,
  maxAwarenessStateBytes: 4 * 1024,
  awarenessClientsPerSocket: 4,
  awarenessFlushMs: 50,
  awarenessKeepAliveMs: 20_000,
  awarenessTimeoutMs: 30_000,
  readOnlyStrikes: 3,
  compactAfterUpdates: 500,
  idleUnloadMs: 30_000,
  maxPendingBytes: 8 * 1024 * 1024,
  sessionRecheckMs: 60_000,
  sessionCacheMs: 30_000,
};
