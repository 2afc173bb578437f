import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect,
  rawSocket,
  signUp,
  startLiveApp,
  waitFor,
  type LiveTestApp,
  type RawSocket,
} from '../../support/realtime.ts';

// Presence keep-alives: the server renews each state for everyone on its own schedule and
// absorbs clients' unchanged renewals. One app with the default limits (20 s keep-alive),
// one with short ones so keep-alives and time-outs happen within a test.
let normal: LiveTestApp;
let fast: LiveTestApp;
const cookies: Record<'normal' | 'fast', { a: string; b: string }> = {
  normal: { a: '', b: '' },
  fast: { a: '', b: '' },
};

beforeAll(async () => {
  normal = await startLiveApp();
  fast = await startLiveApp({
    realtime: { awarenessKeepAliveMs: 600, awarenessTimeoutMs: 2000 },
  });
  for (const [name, live] of [
    ['normal', normal],
    ['fast', fast],
  ] as const)
    cookies[name] = { a: await signUp(live.app, 'writer1'), b: await signUp(live.app, 'writer2') };
});
afterAll(async () => {
  await normal.close();
  await fast.close();
});

interface Seen {
  clock: number;
  json: string;
}

/** Every awareness entry a raw socket received for one client id, in order. */
function entriesFor(socket: RawSocket, clientId: number): Seen[] {
  const seen: Seen[] = [];
  for (const message of socket.messages) {
    const d = decoding.createDecoder(message);
    if (decoding.readVarUint(d) !== 1) continue;
    const inner = decoding.createDecoder(decoding.readVarUint8Array(d));
    const count = decoding.readVarUint(inner);
    for (let i = 0; i < count; i++) {
      const id = decoding.readVarUint(inner);
      const clock = decoding.readVarUint(inner);
      const json = decoding.readVarString(inner);
      if (id === clientId) seen.push({ clock, json });
    }
  }
  return seen;
}

function presence(clientId: number, clock: number, state: object | null): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, clientId);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, JSON.stringify(state));
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

async function pair(live: LiveTestApp, name: 'normal' | 'fast', docName: string) {
  const a = rawSocket(live.wsUrl, docName, { cookie: cookies[name].a, origin: live.origin });
  const b = rawSocket(live.wsUrl, docName, { cookie: cookies[name].b, origin: live.origin });
  await Promise.all([a.opened, b.opened]);
  return { a, b };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('presence keep-alives', () => {
  it('relays a changed state at once but absorbs an unchanged renewal', async () => {
    const { a, b } = await pair(normal, 'normal', 'test:renewals');
    a.socket.send(presence(7001, 1, { cursor: 1 }));
    await waitFor(() => entriesFor(b, 7001).length === 1, 'first state relayed');

    a.socket.send(presence(7001, 2, { cursor: 1 })); // y-protocols' 15 s renewal
    await sleep(300); // six flush intervals
    expect(entriesFor(b, 7001)).toHaveLength(1);

    a.socket.send(presence(7001, 3, { cursor: 2 }));
    await waitFor(() => entriesFor(b, 7001).length === 2, 'changed state relayed');
    const [first, second] = entriesFor(b, 7001);
    expect(JSON.parse(second!.json)).toMatchObject({ cursor: 2, user: { name: 'writer1' } });
    expect(second!.clock).toBeGreaterThan(first!.clock);
    a.socket.close();
    b.socket.close();
  });

  it('renews a present state for everyone itself, and drops a client that stopped renewing', async () => {
    const { a, b } = await pair(fast, 'fast', 'test:keepalive');
    a.socket.send(presence(7002, 1, { cursor: 1 })); // and never again
    await waitFor(() => entriesFor(b, 7002).length >= 2, 'a keep-alive from the server');
    const [first, renewed] = entriesFor(b, 7002);
    expect(renewed!.json).toBe(first!.json);
    expect(renewed!.clock).toBeGreaterThan(first!.clock);

    await waitFor(() => entriesFor(b, 7002).at(-1)?.json === 'null', 'removed after 2 s');
    expect(a.socket.readyState).toBe(a.socket.OPEN); // only its presence went, not its socket
    a.socket.close();
    b.socket.close();
  });

  it('keeps a live y-websocket client present past the time-out, without an echo loop', async () => {
    const owner = connect(fast.wsUrl, 'test:echo', {
      cookie: cookies.fast.a,
      origin: fast.origin,
    });
    const observer = rawSocket(fast.wsUrl, 'test:echo', {
      cookie: cookies.fast.b,
      origin: fast.origin,
    });
    await observer.opened;
    owner.provider.awareness.setLocalStateField('cursor', 1);
    const id = owner.doc.clientID;
    await waitFor(() => entriesFor(observer, id).length > 0, 'owner present');

    // y-protocols renews only every 15 s; what keeps it present for 3 s (past the 2 s
    // time-out) is its echo of the server's keep-alives of its own state.
    await sleep(3000);
    const seen = entriesFor(observer, id);
    expect(seen.at(-1)!.json).not.toBe('null');
    expect(JSON.parse(seen.at(-1)!.json)).toMatchObject({ cursor: 1 });
    // A keep-alive every 0.6 s is about 5; an echo loop would be one per 50 ms flush.
    expect(seen.length).toBeLessThan(15);
    expect(owner.provider.awareness.getLocalState()).toMatchObject({ cursor: 1 });
    owner.provider.destroy();
    observer.socket.close();
  });
});
