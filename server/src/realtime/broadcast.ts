/**
 * The one seam all fan-out goes through: in-process alone, Redis pub/sub with several
 * instances (`redis-broadcast.ts`; each instance then applies remote updates to its own copy
 * in log order, see `LiveDocument#onBroadcast`) without touching features.
 */
export interface BroadcastMessage {
  /** A complete y-protocol frame, ready to send to sockets. */
  frame: Uint8Array;
  /** `keep-alive`: presence renewals, which each instance may spread over a second. */
  kind: 'update' | 'awareness' | 'keep-alive' | 'presence-query';
  /** The socket that caused it, which does not need it back; null for server changes. */
  origin: object | null;
  /**
   * Several instances: a stored batch (`update` holds it) and its positions in the
   * document's log, for the other instances only (this one's sockets got it already).
   */
  seq?: { from: number; to: number };
  update?: Uint8Array;
  /** Set on what another instance published. */
  remote?: boolean;
  /** For the other instances only (an answer to their `presence-query`). */
  elsewhere?: boolean;
}

export type BroadcastListener = (message: BroadcastMessage) => void;

/** What one instance tells the others about sockets to close or judge again. */
export type ControlMessage =
  | { type: 'close-session'; token: string }
  | { type: 'close-user'; userId: string; exceptToken?: string }
  | { type: 'recheck-user'; userId: string }
  | { type: 'recheck-document'; docName: string }
  /** A projected document's facts changed, on an instance that does not hold it. */
  | { type: 'refresh'; docName: string };

export interface Broadcast {
  /** True when other instances share the documents: stored batches then carry `seq`. */
  readonly shared: boolean;
  publish(docName: string, message: BroadcastMessage): void;
  subscribe(docName: string, listener: BroadcastListener): () => void;
  /** To every other instance (this one acts on its own); nothing alone. */
  publishControl(message: ControlMessage): void;
  /** Handlers for other instances' control messages, and for "you may have missed some". */
  onControl(handler: (message: ControlMessage) => void): void;
  onResync(handler: () => void): void;
  /** Readiness: null when fine, else why not. */
  problem(): Promise<string | null>;
  close(): Promise<void>;
}

export class InProcessBroadcast implements Broadcast {
  readonly shared = false;
  readonly #listeners = new Map<string, Set<BroadcastListener>>();

  publish(docName: string, message: BroadcastMessage): void {
    if (message.seq || message.elsewhere || message.kind === 'presence-query') return; // none
    const listeners = this.#listeners.get(docName);
    if (!listeners) return;
    for (const listener of listeners) listener(message);
  }

  subscribe(docName: string, listener: BroadcastListener): () => void {
    let set = this.#listeners.get(docName);
    if (!set) {
      set = new Set();
      this.#listeners.set(docName, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(docName);
    };
  }

  publishControl(): void {}
  onControl(): void {}
  onResync(): void {}
  async problem(): Promise<string | null> {
    return null;
  }

  async close(): Promise<void> {
    this.#listeners.clear();
  }
}
