/**
 * The one seam all fan-out goes through. In-process today; a Redis pub/sub implementation
 * lets several instances share a document later (each instance then applies remote
 * `update` frames to its own copy, see `LiveDocument#onBroadcast`) without touching features.
 */
export interface BroadcastMessage {
  /** A complete y-protocol frame, ready to send to sockets. */
  frame: Uint8Array;
  /** `keep-alive`: presence renewals, which each instance may spread over a second. */
  kind: 'update' | 'awareness' | 'keep-alive';
  /** The socket that caused it, which does not need it back; null for server changes. */
  origin: object | null;
}

export type BroadcastListener = (message: BroadcastMessage) => void;

export interface Broadcast {
  publish(docName: string, message: BroadcastMessage): void;
  subscribe(docName: string, listener: BroadcastListener): () => void;
  close(): Promise<void>;
}

export class InProcessBroadcast implements Broadcast {
  readonly #listeners = new Map<string, Set<BroadcastListener>>();

  publish(docName: string, message: BroadcastMessage): void {
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

  async close(): Promise<void> {
    this.#listeners.clear();
  }
}
