import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { signUp, startLiveApp, waitFor, type LiveTestApp } from '../../support/realtime.ts';

// What a socket costs the server, budgeted before the frame is decoded: a reader's update
// frames are judged without decoding, a writer's bytes and server time are budgeted per
// socket and per user. Budgets here do not refill (rate 0), so each test is deterministic.

const KIB = 1024;

interface Probe {
  socket: WebSocket;
  messages: Uint8Array[];
  /** Close code and reason. */
  closed: Promise<string>;
}

const opened: Probe[] = [];

async function probe(live: LiveTestApp, docName: string, cookie: string): Promise<Probe> {
  const socket = new WebSocket(`${live.wsUrl}/${docName}`, {
    headers: { cookie, origin: live.origin },
  });
  const messages: Uint8Array[] = [];
  socket.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
  socket.on('error', () => {});
  const closed = new Promise<string>((resolve) =>
    socket.on('close', (code, reason) => resolve(`${code} ${reason.toString()}`)),
  );
  await new Promise<void>((resolve) => socket.on('open', () => resolve()));
  const p = { socket, messages, closed };
  opened.push(p);
  return p;
}

function frame(type: number, sub: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  encoding.writeVarUint(e, sub);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

const step1 = (stateVector: Uint8Array) => frame(0, 0, stateVector);
const update = (payload: Uint8Array) => frame(0, 2, payload);

/** A fresh update inserting `bytes` characters. */
function textUpdate(bytes: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'x'.repeat(bytes));
  return Y.encodeStateAsUpdate(doc);
}

/**
 * Sends sync step 1 and waits for whichever comes first: the server's answer (the socket
 * is still served) or the close. A barrier that needs no sleep: frames are handled in order.
 */
async function answeredOrClosed(p: Probe): Promise<string> {
  const before = p.messages.length;
  p.socket.send(step1(Y.encodeStateVector(new Y.Doc())));
  const answered = waitFor(
    () => p.messages.slice(before).some((m) => m[0] === 0 && m[1] === 1),
    'step 2 answer',
    60_000,
  ).then(() => 'answered');
  return Promise.race([p.closed, answered]);
}

afterAll(() => {
  for (const p of opened) p.socket.terminate();
});

describe('a read-only socket', () => {
  let live: LiveTestApp;
  beforeAll(async () => {
    live = await startLiveApp();
  });
  afterAll(() => live.close());

  it('is refused update frames without their being decoded', async () => {
    // gov:* is server-owned: every client reads. A payload that is garbage after its first
    // number would close the socket as malformed (4400) if the server decoded it.
    const p = await probe(live, 'gov:garbage', await signUp(live.app, 'garbage-sender'));
    const garbage = new Uint8Array(64 * KIB).fill(0xff);
    garbage[0] = 1;
    for (let i = 0; i < 3; i++) p.socket.send(update(garbage));
    expect(await p.closed).toBe('4405 read-only document');
  });

  it('is refused the items its document already holds, not only new ones', async () => {
    const p = await probe(live, 'gov:inbox', await signUp(live.app, 'echoer'));
    expect(await answeredOrClosed(p)).toBe('answered');
    // The whole document as the server holds it, sent back: a no-op, yet decoding it is
    // the cost. It counts as a strike like any update with items.
    const state = await live.app.live.state('gov:inbox');
    for (let i = 0; i < 3; i++) p.socket.send(update(state));
    expect(await answeredOrClosed(p)).toBe('4405 read-only document');
  });

  it('may still answer step 1 with a diff that has no items', async () => {
    const p = await probe(live, 'gov:inbox', await signUp(live.app, 'polite-reader'));
    for (let i = 0; i < 5; i++) p.socket.send(frame(0, 1, new Uint8Array([0, 0])));
    expect(await answeredOrClosed(p)).toBe('answered');
  });
});

describe('byte budgets', () => {
  let live: LiveTestApp;
  beforeAll(async () => {
    live = await startLiveApp({
      realtime: {
        messagesPerSecond: 10_000,
        messageBurst: 10_000,
        bytesPerSecond: 0,
        byteBurst: 64 * KIB,
        userBytesPerSecond: 0,
        userByteBurst: 96 * KIB,
      },
    });
  });
  afterAll(() => live.close());

  it('close a writer past its socket’s byte budget with 1013', async () => {
    const p = await probe(live, 'test:bytes', await signUp(live.app, 'bulk-writer'));
    // 12 KiB each: the sixth passes 64 KiB. Well within the message rate.
    for (let i = 0; i < 8; i++) p.socket.send(update(textUpdate(12 * KIB)));
    expect(await answeredOrClosed(p)).toBe('1013 over byte budget');
  });

  it('hold for all of one user’s sockets together', async () => {
    const cookie = await signUp(live.app, 'many-sockets');
    const a = await probe(live, 'test:user-a', cookie);
    const b = await probe(live, 'test:user-b', cookie);
    // 4 × 12 KiB on each socket: under 64 KiB per socket, past 96 KiB for the user.
    for (let i = 0; i < 4; i++) a.socket.send(update(textUpdate(12 * KIB)));
    expect(await answeredOrClosed(a)).toBe('answered');
    for (let i = 0; i < 4; i++) b.socket.send(update(textUpdate(12 * KIB)));
    expect(await answeredOrClosed(b)).toBe('1013 user over byte budget');
    // A new socket of the same user does not start afresh.
    const c = await probe(live, 'test:user-c', cookie);
    c.socket.send(update(textUpdate(12 * KIB)));
    expect(await answeredOrClosed(c)).toBe('1013 user over byte budget');
    // Another user is not affected.
    const other = await probe(live, 'test:user-a', await signUp(live.app, 'bystander'));
    other.socket.send(update(textUpdate(12 * KIB)));
    expect(await answeredOrClosed(other)).toBe('answered');
  });
});

describe('server-time budget', () => {
  let live: LiveTestApp;
  beforeAll(async () => {
    live = await startLiveApp({
      realtime: {
        messagesPerSecond: 10_000,
        messageBurst: 10_000,
        cpuMsPerSecond: 0,
        cpuBurstMs: 20,
      },
    });
  });
  afterAll(() => live.close());

  it('closes a socket whose frames took more server time than its budget with 1013', async () => {
    const p = await probe(live, 'test:cpu', await signUp(live.app, 'cruncher'));
    // Each 32 KiB update is decoded and applied: at least a fraction of a millisecond.
    // A bounded number of frames, far more than 20 ms worth.
    let result = 'answered';
    for (let round = 0; round < 50 && result === 'answered'; round++) {
      for (let i = 0; i < 5; i++) p.socket.send(update(textUpdate(32 * KIB)));
      result = await answeredOrClosed(p);
    }
    expect(result).toBe('1013 over time budget');
  });
});
