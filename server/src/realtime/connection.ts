import type { WebSocket } from 'ws';
import type { User } from '@tongxin/db/database';
import { TokenBucket, type UserBudgets } from './budget.ts';
import type { CloseCodeValue } from './close-codes.ts';
import { CloseCode } from './close-codes.ts';
import type { LiveLimits } from './limits.ts';

/** Who a socket belongs to, as every other participant sees it in awareness. */
export interface Identity {
  id: string;
  name: string;
  role: 'read' | 'write';
}

// A phone that stops reading would make the server hold every frame for it.
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/**
 * One open socket on one document. Kept small, since a meeting room holds a thousand: no
 * per-socket closures (the service's listeners find it by socket), no collections until used.
 */
export class Connection {
  /** Awareness client ids this socket owns: none for most (null until one), one per tab. */
  awarenessIds: number[] | null = null;
  /** Updates with content refused from a read-only socket so far. */
  strikes = 0;
  closed = false;
  /** Answered the last ping; a socket that does not is dead and is terminated. */
  alive = true;
  /** Frames that arrive before the document has loaded wait here (the service holds the document). */
  early: Uint8Array[] | null = null;
  /** The document's name, as the socket asked for it. */
  readonly docName: string;
  // Budgets of `admitFrame`: messages, bytes and server time per second.
  readonly #messages: TokenBucket;
  readonly #bytes: TokenBucket;
  readonly #time: TokenBucket;

  constructor(
    readonly socket: WebSocket,
    readonly user: User,
    readonly sessionToken: string | null,
    docName: string,
    readonly access: 'read' | 'write',
    limits: LiveLimits,
    private readonly userBudgets: UserBudgets,
  ) {
    const now = performance.now();
    this.#messages = new TokenBucket(limits.messagesPerSecond, limits.messageBurst, now);
    this.#bytes = new TokenBucket(limits.bytesPerSecond, limits.byteBurst, now);
    this.#time = new TokenBucket(limits.cpuMsPerSecond, limits.cpuBurstMs, now);
    this.docName = docName;
  }

  get identity(): Identity {
    return { id: this.user.id, name: this.user.displayName, role: this.access };
  }

  /**
   * Why the next frame (of `bytes`) is refused — over the socket's or its user's rate of
   * messages, bytes or server time — or null. Cheap enough to run on every frame, and run
   * before the frame is parsed, so an abusive sender costs no decoding.
   */
  admitFrame(bytes: number): string | null {
    const now = performance.now();
    if (!this.#messages.take(1, now)) return 'too many messages';
    if (!this.#time.inCredit(now)) return 'over time budget';
    if (!this.#bytes.take(bytes, now)) return 'over byte budget';
    return this.userBudgets.admit(this.user.id, bytes, now);
  }

  /** Server time spent handling one of this socket's frames. */
  spent(ms: number): void {
    const now = performance.now();
    this.#time.spend(ms, now);
    this.userBudgets.spent(this.user.id, ms, now);
  }

  send(frame: Uint8Array): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(CloseCode.tryAgainLater, 'too slow');
      return;
    }
    this.socket.send(frame);
  }

  close(code: CloseCodeValue, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close(code, reason);
  }
}
