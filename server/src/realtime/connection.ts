import type { WebSocket } from 'ws';
import type { User } from '@tongxin/db';
import type { CloseCodeValue } from './close-codes.ts';
import { CloseCode } from './close-codes.ts';
import type { RateLimiter } from './limits.ts';

/** Who a socket belongs to, as every other participant sees it in awareness. */
export interface Identity {
  id: string;
  name: string;
  role: 'read' | 'write';
}

// A phone that stops reading would make the server hold every frame for it.
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** One open socket on one document. Kept small: a meeting room holds a thousand. */
export class Connection {
  readonly awarenessIds = new Set<number>();
  /** Updates refused from a read-only socket so far. */
  strikes = 0;
  closed = false;
  /** Answered the last ping; a socket that does not is dead and is terminated. */
  alive = true;
  readonly identity: Identity;

  constructor(
    readonly socket: WebSocket,
    readonly user: User,
    readonly sessionToken: string | null,
    readonly docName: string,
    readonly access: 'read' | 'write',
    readonly limiter: RateLimiter,
  ) {
    this.identity = { id: user.id, name: user.displayName, role: access };
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
