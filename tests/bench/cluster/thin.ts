// The thin phone: one raw WebSocket speaking y-websocket's protocol as a phone's LiveDoc does —
// sync step 1 with an empty state vector, step 2 (empty) to the server's step 1, its own
// presence set once and renewed every 15 s, every awareness frame it receives echoed back (a
// y-websocket client re-sends each change it applies), pings answered by `ws` — so it costs the
// server exactly what a phone costs. What it costs the load generator is a scan of each update
// frame's bytes for the editors' markers: no Y.Doc, no decoded awareness.
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';

/**
 * An edit's text: `~T<editor>.<seq>.<instance>@<send ms>;` — who sent it (its index in the
 * room), its number, the instance its editor was on, and the wall-clock time it was sent.
 * Editors append at the end of the text, so no later insert ever splits a marker and a
 * whole document (sync step 2) holds each marker in one piece too.
 */
export const marker = (editor: number, seq: number, instance: number, sentMs: number) =>
  `~T${editor}.${seq}.${instance}@${sentMs.toFixed(3)};`;

export interface Marker {
  editor: number;
  seq: number;
  instance: number;
  sentMs: number;
}

/**
 * Every marker in `bytes` from `start`, found by scanning for "~T" (Buffer.indexOf is native)
 * and reading the ASCII digits after it.
 */
export function scanMarkers(bytes: Buffer, start: number, found: (m: Marker) => void): void {
  let i = bytes.indexOf('~T', start, 'latin1');
  while (i >= 0) {
    let p = i + 2;
    const field = () => {
      let v = 0;
      let c = bytes[p]!;
      while (c >= 0x30 && c <= 0x39) {
        v = v * 10 + (c - 0x30);
        c = bytes[++p]!;
      }
      return v;
    };
    const editor = field();
    if (bytes[p++] === 0x2e) {
      const seq = field();
      if (bytes[p++] === 0x2e) {
        const instance = field();
        if (bytes[p++] === 0x40) {
          let sentMs = field();
          if (bytes[p] === 0x2e) {
            p++;
            let scale = 0.1;
            let c = bytes[p]!;
            while (c >= 0x30 && c <= 0x39) {
              sentMs += (c - 0x30) * scale;
              scale /= 10;
              c = bytes[++p]!;
            }
          }
          if (bytes[p] === 0x3b) found({ editor, seq, instance, sentMs });
        }
      }
    }
    i = bytes.indexOf('~T', p, 'latin1');
  }
}

/** Which edits one client has seen, per editor of its room: a bitset, a count, a prefix. */
export class Seen {
  readonly #bits: Uint8Array[] = [];
  readonly count: number[] = [];
  /** Every seq below it seen. */
  readonly prefix: number[] = [];

  constructor(editors: number) {
    for (let e = 0; e < editors; e++) {
      this.#bits.push(new Uint8Array(64));
      this.count.push(0);
      this.prefix.push(0);
    }
  }

  /** True when the edit is new to this client. */
  add(editor: number, seq: number): boolean {
    let bits = this.#bits[editor];
    if (!bits) return false;
    const byte = seq >> 3;
    if (byte >= bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, bits.length * 2));
      grown.set(bits);
      this.#bits[editor] = bits = grown;
    }
    const mask = 1 << (seq & 7);
    if (bits[byte]! & mask) return false;
    bits[byte]! |= mask;
    this.count[editor]!++;
    let p = this.prefix[editor]!;
    while (bits[p >> 3]! & (1 << (p & 7))) p++;
    this.prefix[editor] = p;
    return true;
  }

  /** Has it every edit below `counts[e]` of each editor? */
  covers(counts: number[]): boolean {
    return counts.every((c, e) => (this.prefix[e] ?? 0) >= c);
  }

  missing(counts: number[]): number {
    return counts.reduce((n, c, e) => n + Math.max(0, c - (this.count[e] ?? 0)), 0);
  }
}

export interface ThinOptions {
  /** ws://127.0.0.1:<port> of each instance; the phone tries the next when one refuses it. */
  backends: string[];
  preferred: number;
  docName: string;
  headers: Record<string, string>;
  editors: number;
  /** Echo every awareness frame back, as y-websocket clients do (on by default). */
  echo: boolean;
  /** A new edit arrived in an update (not a sync step 2): its marker and when it came. */
  onEdit: (phone: ThinPhone, m: Marker, at: number) => void;
  /** A socket closed (1006 when the connection was cut or refused). */
  onClose?: (code: number) => void;
}

const now = () => performance.timeOrigin + performance.now();
const STEP1_EMPTY = new Uint8Array([0, 0, 1, 0]); // sync, step 1, state vector of an empty doc
const STEP2_EMPTY = new Uint8Array([0, 1, 2, 0, 0]); // sync, step 2, an update with nothing
const RENEW_MS = 15_000; // y-protocols renews an unchanged local state after 15 s
const MAX_BACKOFF_MS = 2500; // LiveDoc's y-websocket maxBackoffTime

export class ThinPhone {
  ws: WebSocket | null = null;
  /** Index of the instance it is on (or trying). */
  current: number;
  synced = false;
  stopped = false;
  /** When it last became synced (wall-clock ms), and how many times it connected. */
  syncedAt = 0;
  connects = 0;
  /** Update frames received, and those the scan found a new edit in. */
  frames = 0;
  readonly seen: Seen;
  readonly clientId = Math.floor(Math.random() * 0xffffffff);
  #clock = 0;
  /** Own state as the server relays it (with the server's `user`), once seen. */
  #bound: Uint8Array | null = null;
  #failures = 0;
  #renew: NodeJS.Timeout | null = null;

  constructor(readonly options: ThinOptions) {
    this.current = options.preferred;
    this.seen = new Seen(options.editors);
  }

  connect(): void {
    if (this.stopped) return;
    const o = this.options;
    const base = o.backends[this.current]!;
    // The server trusts an Origin naming its own host, as a browser on that instance sends.
    const ws = new WebSocket(`${base}/yjs/${o.docName}`, {
      headers: { ...o.headers, origin: base.replace(/^ws/, 'http') },
    });
    this.ws = ws;
    let opened = false;
    ws.on('open', () => {
      opened = true;
      this.connects++;
      ws.send(STEP1_EMPTY);
      this.#sendPresence();
      this.#renew ??= setInterval(() => this.#sendPresence(), RENEW_MS + Math.random() * 1000);
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) this.#onFrame(data);
    });
    ws.on('error', () => {});
    ws.on('close', (code: number) => {
      o.onClose?.(code);
      if (this.ws === ws) this.ws = null;
      this.synced = false;
      if (this.stopped) return;
      if (opened) this.#failures = 0;
      else {
        this.#failures++;
        this.current = (this.current + 1) % o.backends.length; // refused: the next instance
      }
      const backoff = Math.min(2 ** this.#failures * 100, MAX_BACKOFF_MS);
      setTimeout(() => this.connect(), backoff * (0.5 + Math.random() / 2));
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.#renew) clearInterval(this.#renew);
    this.ws?.close();
  }

  #onFrame(data: Buffer): void {
    const type = data[0];
    if (type === 0) {
      const sub = data[1];
      if (sub === 2) {
        this.frames++;
        const at = now();
        scanMarkers(data, 2, (m) => {
          if (this.seen.add(m.editor, m.seq)) this.options.onEdit(this, m, at);
        });
      } else if (sub === 1) {
        scanMarkers(data, 2, (m) => this.seen.add(m.editor, m.seq));
        this.synced = true;
        this.syncedAt = now();
      } else if (sub === 0) {
        this.ws?.send(STEP2_EMPTY);
      }
    } else if (type === 1) {
      if (this.options.echo) this.ws?.send(data);
      if (!this.#bound) this.#findOwnState(data);
    }
  }

  /** Walks an awareness frame's entries (no JSON decoded) for this phone's own, as relayed. */
  #findOwnState(data: Buffer): void {
    let p = 1;
    const varUint = () => {
      let v = 0;
      let mult = 1;
      for (;;) {
        const b = data[p++]!;
        v += (b & 0x7f) * mult;
        if (b < 0x80) return v;
        mult *= 128;
      }
    };
    varUint(); // the payload's length
    const count = varUint();
    for (let i = 0; i < count && p < data.length; i++) {
      const clientId = varUint();
      const clock = varUint();
      const length = varUint();
      if (clientId === this.clientId) {
        this.#clock = Math.max(this.#clock, clock);
        const json = data.subarray(p, p + length);
        if (!(json.length === 4 && json.toString() === 'null')) this.#bound = Uint8Array.from(json);
        return;
      }
      p += length;
    }
  }

  /** Its own state: `{"watching":true}` at first, then as the server relays it. */
  #sendPresence(): void {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, 1);
    encoding.writeVarUint(inner, this.clientId);
    encoding.writeVarUint(inner, ++this.#clock);
    if (this.#bound) encoding.writeVarUint8Array(inner, this.#bound);
    else encoding.writeVarString(inner, '{"watching":true}');
    encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
    this.ws.send(encoding.toUint8Array(e));
  }
}
