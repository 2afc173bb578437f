import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import {
  InProcessBroadcast,
  type Broadcast,
  type BroadcastListener,
  type BroadcastMessage,
  type ControlMessage,
} from './broadcast.ts';
import { updateFrame } from './protocol.ts';

export interface RedisBroadcastOptions {
  url: string;
  /** Put before every channel name: instances share a prefix, tests each use their own. */
  prefix?: string;
  log?: FastifyBaseLogger;
}

const KINDS = ['update', 'awareness', 'keep-alive', 'presence-query'] as const;
const ID_BYTES = 8;
// kind (1) + instance id + first and last log position (2 × float64)
const HEADER_BYTES = 1 + ID_BYTES + 16;

/**
 * Fan-out between instances over Redis pub/sub, one channel per document: an instance
 * subscribes to a document's channel while it holds the document, skips what it published
 * itself, and hands the rest to the document (`remote: true`). Redis is only a fast path:
 * updates are in Postgres before they are published and carry their log positions, so a
 * lost message shows as a gap the receiver fills from the log (docs/decisions, several
 * instances). While Redis is down, publishing does nothing and each instance goes on
 * serving its own sockets; on reconnect every document reads what it missed.
 */
export class RedisBroadcast implements Broadcast {
  readonly shared = true;
  readonly #local = new InProcessBroadcast();
  readonly #remote = new Map<string, Set<BroadcastListener>>();
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #id = randomBytes(ID_BYTES);
  readonly #prefix: string;
  readonly #control: string;
  readonly #controlHandlers: Array<(message: ControlMessage) => void> = [];
  readonly #resyncHandlers: Array<() => void> = [];
  readonly #log: FastifyBaseLogger | undefined;
  #closed = false;
  /**
   * Test seam: drops incoming messages it returns true for, as a lossy network would.
   * The receiver must recover them from the log.
   */
  dropIncoming: ((docName: string, message: BroadcastMessage) => boolean) | null = null;

  constructor(options: RedisBroadcastOptions) {
    this.#prefix = `${options.prefix ?? 'tongxin'}:`;
    this.#control = `${this.#prefix}control`;
    this.#log = options.log;
    const common = {
      lazyConnect: false,
      // Back quickly: a phone's edit is never waiting on Redis, only the other instances.
      retryStrategy: (times: number) => Math.min(100 * times, 1000),
    };
    // Publishing while disconnected fails at once instead of queueing: the log has it.
    this.#pub = new Redis(options.url, {
      ...common,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    this.#sub = new Redis(options.url, { ...common, autoResubscribe: true });
    for (const [name, client] of [
      ['publisher', this.#pub],
      ['subscriber', this.#sub],
    ] as const) {
      let readyBefore = false;
      client.on('error', (error: Error) =>
        this.#log?.warn({ err: error, client: name }, 'redis error'),
      );
      client.on('ready', () => {
        // Back after a break: whatever was published meanwhile was lost.
        if (readyBefore) for (const handler of this.#resyncHandlers) handler();
        readyBefore = true;
      });
    }
    this.#sub.on('messageBuffer', (channel: Buffer, payload: Buffer) =>
      this.#onMessage(channel.toString(), payload),
    );
    void this.#sub.subscribe(this.#control).catch(() => {});
  }

  publish(docName: string, message: BroadcastMessage): void {
    if (!message.seq && !message.elsewhere && message.kind !== 'presence-query')
      this.#local.publish(docName, message);
    // An update without positions is this instance relaying what it applied: the others
    // get the stored batch instead (with positions).
    if (message.kind === 'update' && !message.seq) return;
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt8(KINDS.indexOf(message.kind), 0);
    this.#id.copy(header, 1);
    header.writeDoubleBE(message.seq?.from ?? 0, 1 + ID_BYTES);
    header.writeDoubleBE(message.seq?.to ?? 0, 1 + ID_BYTES + 8);
    const body = message.kind === 'update' ? (message.update ?? message.frame) : message.frame;
    this.#send(this.#channel(docName), Buffer.concat([header, body]));
  }

  subscribe(docName: string, listener: BroadcastListener): () => void {
    const unsubscribeLocal = this.#local.subscribe(docName, listener);
    const channel = this.#channel(docName);
    let set = this.#remote.get(channel);
    if (!set) {
      this.#remote.set(channel, (set = new Set()));
      // Once subscribed, the instances that hold the document tell us who is present there.
      void this.#sub.subscribe(channel).then(
        () =>
          this.publish(docName, { kind: 'presence-query', frame: new Uint8Array(0), origin: null }),
        () => {},
      );
    }
    set.add(listener);
    return () => {
      unsubscribeLocal();
      set.delete(listener);
      if (set.size === 0 && this.#remote.get(channel) === set) {
        this.#remote.delete(channel);
        if (!this.#closed) void this.#sub.unsubscribe(channel).catch(() => {});
      }
    };
  }

  publishControl(message: ControlMessage): void {
    this.#send(this.#control, JSON.stringify({ from: this.#id.toString('hex'), ...message }));
  }

  onControl(handler: (message: ControlMessage) => void): void {
    this.#controlHandlers.push(handler);
  }

  onResync(handler: () => void): void {
    this.#resyncHandlers.push(handler);
  }

  async problem(): Promise<string | null> {
    if (this.#pub.status !== 'ready' || this.#sub.status !== 'ready') return 'redis unreachable';
    try {
      await withTimeout(this.#pub.ping(), 1000);
      return null;
    } catch {
      return 'redis unreachable';
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#local.close();
    this.#remote.clear();
    for (const client of [this.#pub, this.#sub]) {
      try {
        await withTimeout(client.quit(), 1000);
      } catch {
        client.disconnect();
      }
    }
  }

  #channel(docName: string): string {
    return `${this.#prefix}doc:${docName}`;
  }

  #send(channel: string, payload: Buffer | string): void {
    if (this.#closed || this.#pub.status !== 'ready') return;
    this.#pub.publish(channel, payload).catch(() => {});
  }

  #onMessage(channel: string, payload: Buffer): void {
    if (channel === this.#control) return this.#onControl(payload);
    const listeners = this.#remote.get(channel);
    if (!listeners || payload.length < HEADER_BYTES) return;
    if (payload.subarray(1, 1 + ID_BYTES).equals(this.#id)) return; // our own
    const kind = KINDS[payload.readUInt8(0)];
    if (!kind) return;
    const body = new Uint8Array(payload.subarray(HEADER_BYTES));
    const message: BroadcastMessage =
      kind === 'update'
        ? {
            kind,
            update: body,
            frame: updateFrame(body),
            origin: null,
            remote: true,
            seq: {
              from: payload.readDoubleBE(1 + ID_BYTES),
              to: payload.readDoubleBE(1 + ID_BYTES + 8),
            },
          }
        : { kind, frame: body, origin: null, remote: true };
    if (this.dropIncoming?.(channel.slice(this.#prefix.length + 4), message)) return;
    for (const listener of listeners) listener(message);
  }

  #onControl(payload: Buffer): void {
    let parsed: (ControlMessage & { from?: string }) | null;
    try {
      parsed = JSON.parse(payload.toString()) as ControlMessage & { from?: string };
    } catch {
      return;
    }
    if (!parsed || parsed.from === this.#id.toString('hex')) return;
    const { from: _from, ...message } = parsed;
    for (const handler of this.#controlHandlers) handler(message as ControlMessage);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
