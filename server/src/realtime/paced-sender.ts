import type { Connection } from './connection.ts';

// Slices per spread: a thousand sockets get a keep-alive fifty at a time.
const SLICES = 20;

interface Delivery {
  frame: Uint8Array;
  conns: Connection[];
  sent: number;
}

/**
 * Sends frames that are not urgent (presence keep-alives) to a document's sockets a slice at
 * a time, spread over `spreadMs`. Sent to every socket at once, one keep-alive frame makes
 * every client decode and echo it in the same instant, and an edit arriving then waits behind
 * all of that; spread out, the same work never piles up in front of an edit.
 */
export class PacedSender {
  readonly #queue: Delivery[] = [];
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly spreadMs: number) {}

  send(frame: Uint8Array, conns: Iterable<Connection>): void {
    const list = [...conns];
    if (list.length === 0) return;
    this.#queue.push({ frame, conns: list, sent: 0 });
    this.#timer ??= setInterval(() => this.#tick(), this.spreadMs / SLICES).unref();
  }

  #tick(): void {
    // Every frame under way moves on by one slice (keep-alives never depend on each other's order).
    for (const delivery of this.#queue) {
      const end = Math.min(
        delivery.conns.length,
        delivery.sent + Math.ceil(delivery.conns.length / SLICES),
      );
      for (let i = delivery.sent; i < end; i++) delivery.conns[i]!.send(delivery.frame);
      delivery.sent = end;
    }
    while (this.#queue[0] && this.#queue[0].sent === this.#queue[0].conns.length)
      this.#queue.shift();
    if (this.#queue.length === 0) this.stop();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#queue.length = 0;
  }
}
