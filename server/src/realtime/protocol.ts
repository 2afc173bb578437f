import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

// Message types of y-websocket's framing (y-websocket.js): the first varUint of each frame.
export const MessageType = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;
// Sub-types of a sync message (y-protocols/sync.js).
export const SyncType = { step1: 0, step2: 1, update: 2 } as const;

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** The state as sent: JSON text, "null" meaning the client left. */
  json: string;
}

/** An entry as received: the state stays raw bytes until the room decides to read it. */
export interface IncomingAwarenessEntry {
  clientId: number;
  clock: number;
  raw: Uint8Array;
}

export type IncomingMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2'; update: Uint8Array }
  | { type: 'update'; update: Uint8Array }
  | { type: 'awareness'; entries: IncomingAwarenessEntry[] }
  | { type: 'query-awareness' };

export class MalformedMessage extends Error {}

/**
 * A bounds-checked reader. lib0's decoder trusts length prefixes (a view past the frame
 * would read neighbouring memory of ws's buffer pool), so the outer framing is read here.
 */
class Reader {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  varUint(): number {
    let value = 0;
    let mult = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.bytes.length) throw new MalformedMessage('truncated number');
      const byte = this.bytes[this.pos++]!;
      value += (byte & 0x7f) * mult;
      if (byte < 0x80) return value;
      mult *= 128;
    }
    throw new MalformedMessage('number too long');
  }

  bytesField(): Uint8Array {
    const length = this.varUint();
    if (length > this.bytes.length - this.pos) throw new MalformedMessage('length past the end');
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  end(): void {
    if (this.pos !== this.bytes.length) throw new MalformedMessage('trailing bytes');
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// y-websocket clients echo every awareness change they receive back to the server, so a
// message may carry the whole room; most entries are someone else's and are dropped
// without ever decoding their JSON.
function decodeAwareness(payload: Uint8Array, maxEntries: number): IncomingAwarenessEntry[] {
  const reader = new Reader(payload);
  const count = reader.varUint();
  if (count > maxEntries) throw new MalformedMessage('too many awareness entries');
  const entries: IncomingAwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = reader.varUint();
    const clock = reader.varUint();
    entries.push({ clientId, clock, raw: reader.bytesField() });
  }
  reader.end();
  return entries;
}

/** The JSON text of an entry's state, or null when it is not UTF-8. */
export function awarenessJson(entry: IncomingAwarenessEntry): string | null {
  try {
    return utf8.decode(entry.raw);
  } catch {
    return null;
  }
}

/**
 * Parses one frame's y-websocket framing. The Yjs update a sync message carries is not
 * decoded here: decoding a 1 MiB update costs tens of milliseconds, and only a writer's is
 * worth it (`checkUpdate`); a reader's is judged without decoding (`carriesStructs`).
 */
export function parseMessage(frame: Uint8Array, maxAwarenessEntries: number): IncomingMessage {
  const reader = new Reader(frame);
  const type = reader.varUint();
  if (type === MessageType.sync) {
    const sub = reader.varUint();
    const payload = reader.bytesField();
    reader.end();
    if (sub === SyncType.step1) {
      try {
        Y.decodeStateVector(payload);
      } catch {
        throw new MalformedMessage('bad state vector');
      }
      return { type: 'sync-step1', stateVector: payload };
    }
    if (sub !== SyncType.step2 && sub !== SyncType.update)
      throw new MalformedMessage('unknown sync message');
    return { type: sub === SyncType.step2 ? 'sync-step2' : 'update', update: payload };
  }
  if (type === MessageType.awareness) {
    const payload = reader.bytesField();
    reader.end();
    return { type: 'awareness', entries: decodeAwareness(payload, maxAwarenessEntries) };
  }
  if (type === MessageType.queryAwareness) {
    reader.end();
    return { type: 'query-awareness' };
  }
  throw new MalformedMessage(`unknown message type ${type}`);
}

/**
 * Decodes a writer's update fully (without touching any document), so a malformed or
 * hostile one is refused before it is stored or applied.
 */
export function checkUpdate(update: Uint8Array): void {
  try {
    Y.decodeUpdate(update);
  } catch {
    throw new MalformedMessage('bad update');
  }
}

/**
 * Does a (v1) update carry any items, read from its first number alone? What a reader
 * answers to the server's step 1 is a diff against the server's state: no items, at most
 * a delete set. Items from a reader are either ones the server lacks (an edit it may not
 * make) or ones it already has (only load), and both are refused without decoding.
 */
export function carriesStructs(update: Uint8Array): boolean {
  return new Reader(update).varUint() > 0;
}

/** An update that carries nothing (what a client with nothing new answers to step 1). */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}

export function syncStep1Frame(stateVector: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  encoding.writeVarUint(e, SyncType.step1);
  encoding.writeVarUint8Array(e, stateVector);
  return encoding.toUint8Array(e);
}

export function syncStep2Frame(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  encoding.writeVarUint(e, SyncType.step2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

export function updateFrame(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  encoding.writeVarUint(e, SyncType.update);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

export function awarenessFrame(entries: Iterable<AwarenessEntry>): Uint8Array {
  const list = [...entries];
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.awareness);
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, list.length);
  for (const entry of list) {
    encoding.writeVarUint(inner, entry.clientId);
    encoding.writeVarUint(inner, entry.clock);
    encoding.writeVarString(inner, entry.json);
  }
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}
