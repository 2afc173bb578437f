import type { WebSocket } from 'ws';
import type { User } from '@tongxin/db';
import type { CloseCodeValue } from './close-codes.ts';
import { CloseCode } from './close-codes.ts';
import type { LiveLimits } from './limits.ts';
import type { LiveDocument } from './live-document.ts';

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
  /** Updates refused from a read-only socket so far. */
  strikes = 0;
  closed = false;
  /** Answered the last ping; a socket that does not is dead and is terminated. */
  alive = true;
  /** The document once loaded; frames that arrive before wait in `early`. */
  doc: LiveDocument | null = null;
  early: Uint8Array[] | null = null;
  /** The name as requested, until the document is attached (then the document's own). */
  #requestedName: string | null;
  // Token bucket for `allowMessage` (messagesPerSecond, messageBurst).
  #tokens: number;
  #last = performance.now();

  constructor(
    readonly socket: WebSocket,
    readonly user: User,
    readonly sessionToken: string | null,
    docName: string,
    readonly access: 'read' | 'write',
    private readonly limits: LiveLimits,
  ) {
    this.#tokens = limits.messageBurst;
    this.#requestedName = docName;
  }

  get docName(): string {
    return this.doc?.name ?? this.#requestedName ?? '';
  }

  /** The document has loaded: the socket's own copy of its name (a slice of the URL) goes. */
  attach(doc: LiveDocument): void {
    this.doc = doc;
    this.#requestedName = null;
  }

  get identity(): Identity {
    return { id: this.user.id, name: this.user.displayName, role: this.access };
  }

  /** One more message within the socket's rate? Cheap enough to run on every frame. */
  allowMessage(): boolean {
    const now = performance.now();
    const { messagesPerSecond, messageBurst } = this.limits;
    this.#tokens = Math.min(
      messageBurst,
      this.#tokens + ((now - this.#last) / 1000) * messagesPerSecond,
    );
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
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
