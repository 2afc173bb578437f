import * as decoding from 'lib0/decoding';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import {
  awarenessFrame,
  MessageType,
  syncStep1Frame,
  syncStep2Frame,
  SyncType,
  updateFrame,
} from '../../server/src/realtime/protocol.ts';

// A phone that costs the test machine almost nothing: a raw WebSocket speaking y-websocket's
// protocol. It asks for the document (sync step 1), sets its own presence once per
// connection and renews it, answers the server's step 1, and reads no more of what it is
// sent than the first two numbers of a frame (to know it is synced). Its edits come from a
// tiny Y.Doc of its own that holds only what it wrote. Like y-websocket it reconnects by
// itself after a close, with a short random back-off. Without `resend` it is a phone that
// reloads after losing its connection: what it wrote before is never offered again, and it
// writes on with a fresh client id.

const EMPTY_UPDATE = new Uint8Array([0, 0]);

export interface ThinPhoneOptions {
  wsUrl: string;
  docName: string;
  cookie: string;
  origin: string;
  /** What it puts in its presence (the server adds `user`). */
  presence?: Record<string, unknown>;
  /**
   * On reconnecting, offer the server what it wrote (as y-websocket does, answering the
   * server's step 1). Off, the phone never sends an edit twice: what it wrote survives a
   * crash only if the server stored it.
   */
  resend?: boolean;
  /** Back-off before a reconnect, in ms: uniformly between min and max. */
  backoff?: { min: number; max: number };
}

export class ThinPhone {
  #own = new Y.Doc();
  #socket: WebSocket | null = null;
  #stopped = false;
  #clock = 0;
  #renew: NodeJS.Timeout | null = null;
  /** Open and synced (the server's step 2 arrived on this connection). */
  synced = false;
  /** Connections opened so far. */
  opens = 0;
  /** Close codes seen, in order. */
  readonly closes: number[] = [];
  /** When the current connection got synced (ms since the epoch), 0 while not. */
  syncedAt = 0;
  /** When it last lost its connection, and when the next one opened (ms since the epoch). */
  closedAt = 0;
  openedAt = 0;
  /** Frames received on every connection. */
  received = 0;

  constructor(private readonly options: ThinPhoneOptions) {
    this.#listen();
    this.#connect();
  }

  /** What this phone wrote (since its last reload, without `resend`). */
  get own(): Y.Doc {
    return this.#own;
  }

  #listen(): void {
    this.#own.on('update', (update: Uint8Array) => {
      if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(updateFrame(update));
    });
  }

  get open(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  /** Writes `token` at the start of text `t` and sends it; false (nothing written) unless synced. */
  edit(token: string): boolean {
    if (!this.synced) return false;
    this.#own.getText('t').insert(0, token);
    return true;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#renew) clearInterval(this.#renew);
    this.#socket?.terminate();
  }

  #connect(): void {
    if (this.#stopped) return;
    const { wsUrl, docName, cookie, origin } = this.options;
    const socket = new WebSocket(`${wsUrl}/${docName}`, { headers: { cookie, origin } });
    socket.binaryType = 'nodebuffer';
    this.#socket = socket;
    socket.on('error', () => {});
    socket.on('open', () => {
      this.opens++;
      this.openedAt = Date.now();
      socket.send(syncStep1Frame(Y.encodeStateVector(new Y.Doc())));
      this.#sendPresence();
      this.#renew ??= setInterval(() => this.#sendPresence(), 15_000);
    });
    socket.on('message', (data: Buffer) => this.#onMessage(socket, data));
    socket.on('close', (code) => {
      this.closes.push(code);
      this.closedAt = Date.now();
      this.synced = false;
      this.syncedAt = 0;
      if (this.#socket !== socket || this.#stopped) return;
      if (this.options.resend === false) {
        this.#own.destroy();
        this.#own = new Y.Doc();
        this.#clock = 0;
        this.#listen();
      }
      const { min, max } = this.options.backoff ?? { min: 50, max: 500 };
      setTimeout(() => this.#connect(), min + Math.random() * (max - min));
    });
  }

  #sendPresence(): void {
    if (this.#socket?.readyState !== WebSocket.OPEN) return;
    const json = JSON.stringify(this.options.presence ?? { thin: true });
    this.#socket.send(
      awarenessFrame([{ clientId: this.#own.clientID, clock: ++this.#clock, json }]),
    );
  }

  #onMessage(socket: WebSocket, data: Buffer): void {
    this.received++;
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(decoder) !== MessageType.sync) return;
    const sub = decoding.readVarUint(decoder);
    if (sub === SyncType.step1) {
      const stateVector = decoding.readVarUint8Array(decoder);
      const answer =
        this.options.resend === false
          ? EMPTY_UPDATE
          : Y.encodeStateAsUpdate(this.#own, stateVector);
      socket.send(syncStep2Frame(answer));
    } else if (sub === SyncType.step2 && !this.synced) {
      this.synced = true;
      this.syncedAt = Date.now();
    }
  }
}
