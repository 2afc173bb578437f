import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  connect,
  rawSocket,
  signUp,
  startLiveApp,
  waitFor,
  type LiveTestApp,
} from '../../support/realtime.ts';

let live: LiveTestApp;
let writer: string;
let writer2: string;
let reader: string;
const opened: Array<{ provider: { destroy(): void } }> = [];

beforeAll(async () => {
  live = await startLiveApp();
  writer = await signUp(live.app, 'writer1');
  writer2 = await signUp(live.app, 'writer2');
  reader = await signUp(live.app, 'reader1');
});
// Each WebsocketProvider adds a process 'exit' listener until it is destroyed: destroy them
// after every test, not once at the end (eleven at once trip Node's MaxListeners warning).
afterEach(() => {
  for (const c of opened.splice(0)) c.provider.destroy();
});
afterAll(async () => {
  await live.close();
});

function client(docName: string, cookie: string, doc?: Y.Doc) {
  const c = connect(live.wsUrl, docName, { cookie, origin: live.origin, ...(doc ? { doc } : {}) });
  opened.push(c);
  return c;
}

function frame(type: number, sub: number | null, payload: Uint8Array) {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  if (sub !== null) encoding.writeVarUint(e, sub);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

function someUpdate(text: string) {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('live documents over y-websocket', () => {
  it('two writers converge and a late joiner gets everything', async () => {
    const a = client('test:converge', writer);
    const b = client('test:converge', writer2);
    await waitFor(() => a.provider.synced && b.provider.synced, 'sync');
    a.text.insert(0, 'hello ');
    b.text.insert(0, 'world ');
    await waitFor(
      () => a.text.toString() === b.text.toString() && a.text.length === 12,
      'convergence',
    );
    const late = client('test:converge', reader);
    await waitFor(() => late.text.toString() === a.text.toString(), 'late joiner');
  });

  it('a server-owned document is seeded once, changed only by the server, read-only for clients', async () => {
    const c = client('gov:board', writer);
    await waitFor(() => c.doc.getMap('state').get('seeded') === 1, 'seed');
    await live.app.live.change('gov:board', (doc) => doc.getMap('state').set('stage', 'voting'));
    await waitFor(() => c.doc.getMap('state').get('stage') === 'voting', 'server change');
    // The client's own edit stays local: the server neither applies nor relays it.
    c.doc.getMap('state').set('stage', 'forged');
    const d = client('gov:board', writer2);
    await waitFor(() => d.provider.synced, 'second sync');
    await live.app.live.flush();
    const state = new Y.Doc();
    Y.applyUpdate(state, await live.app.live.state('gov:board'));
    expect(state.getMap('state').get('stage')).toBe('voting');
    expect(d.doc.getMap('state').get('stage')).toBe('voting');
  });

  it('server changes made back to back on a document nobody has open all complete', async () => {
    // The first opens and seeds the document; each of the next is made the moment the one
    // before resolves (this used to wait forever on a finishing group commit).
    for (let i = 0; i < 5; i++)
      await live.app.live.change('gov:unopened', (doc) => doc.getMap('state').set('n', i));
    const state = new Y.Doc();
    Y.applyUpdate(state, await live.app.live.state('gov:unopened'));
    expect(state.getMap('state').toJSON()).toEqual({ seeded: 1, n: 4 });
  });

  it('ignores hand-crafted updates from a read-only socket and closes it after repeated attempts', async () => {
    const w = client('test:readonly', writer);
    w.text.insert(0, 'original');
    await waitFor(() => w.provider.synced, 'sync');
    await live.app.live.flush();
    const watcher = client('test:readonly', writer2);
    await waitFor(() => watcher.text.toString() === 'original', 'watcher');

    const raw = rawSocket(live.wsUrl, 'test:readonly', { cookie: reader, origin: live.origin });
    await raw.opened;
    // An empty step 2 (what a reader answers to step 1) is fine and answered normally.
    raw.socket.send(frame(0, 1, new Uint8Array([0, 0])));
    raw.socket.send(frame(0, 0, Y.encodeStateVector(new Y.Doc())));
    await waitFor(() => raw.messages.some((m) => m[0] === 0 && m[1] === 1), 'sync answer');
    raw.socket.send(frame(0, 1, someUpdate('FORGED-STEP2 ')));
    raw.socket.send(frame(0, 2, someUpdate('FORGED-UPDATE ')));
    raw.socket.send(frame(0, 2, someUpdate('FORGED-AGAIN ')));
    expect(await raw.closed).toBe(4405);

    w.text.insert(0, '!');
    await waitFor(() => watcher.text.toString() === '!original', 'later edit');
    const state = new Y.Doc();
    Y.applyUpdate(state, await live.app.live.state('test:readonly'));
    expect(state.getText('t').toString()).toBe('!original');
  });

  it('refuses unauthenticated and cross-origin upgrades before the 101, unknown documents after', async () => {
    const anon = rawSocket(live.wsUrl, 'test:x', { origin: live.origin });
    expect(await anon.refused).toBe(401);
    const cross = rawSocket(live.wsUrl, 'test:x', {
      cookie: writer,
      origin: 'https://evil.example',
    });
    expect(await cross.refused).toBe(403);
    const noOrigin = rawSocket(live.wsUrl, 'test:x', { cookie: writer });
    expect(await noOrigin.refused).toBe(403);
    const unknown = rawSocket(live.wsUrl, 'nothing:here', { cookie: writer, origin: live.origin });
    expect(await unknown.closed).toBe(4404);
  });

  it('binds awareness to the session: no impersonation, no overwriting others, gone on close', async () => {
    const a = client('test:presence', writer);
    const b = client('test:presence', writer2);
    await waitFor(() => a.provider.synced && b.provider.synced, 'sync');
    a.provider.awareness.setLocalStateField('user', { id: 'someone-else', name: 'Mayor' });
    b.provider.awareness.setLocalStateField('cursor', 1);
    await waitFor(() => b.provider.awareness.getStates().has(a.doc.clientID), 'a visible to b');
    await waitFor(() => a.provider.awareness.getStates().has(b.doc.clientID), 'b visible to a');
    const seen = b.provider.awareness.getStates().get(a.doc.clientID) as { user: { name: string } };
    expect(seen.user.name).toBe('writer1');

    // A raw socket claims b's client id: ignored.
    const raw = rawSocket(live.wsUrl, 'test:presence', { cookie: reader, origin: live.origin });
    await raw.opened;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, b.doc.clientID);
    encoding.writeVarUint(e, 999);
    encoding.writeVarString(e, JSON.stringify({ user: { name: 'hijack' } }));
    raw.socket.send(frame(1, null, encoding.toUint8Array(e)));
    // Its own state is accepted, with its real name.
    const own = encoding.createEncoder();
    encoding.writeVarUint(own, 1);
    encoding.writeVarUint(own, 424242);
    encoding.writeVarUint(own, 1);
    encoding.writeVarString(own, JSON.stringify({ user: { name: 'fake' }, cursor: 3 }));
    raw.socket.send(frame(1, null, encoding.toUint8Array(own)));
    await waitFor(() => a.provider.awareness.getStates().has(424242), 'raw presence');
    const rawState = a.provider.awareness.getStates().get(424242) as { user: { name: string } };
    expect(rawState.user.name).toBe('reader1');
    const bState = a.provider.awareness.getStates().get(b.doc.clientID) as {
      user: { name: string };
    };
    expect(bState.user.name).toBe('writer2');

    raw.socket.close();
    await waitFor(() => !a.provider.awareness.getStates().has(424242), 'removed on close');
  });

  it('closes only the socket that sends a malformed, unknown or oversized frame', async () => {
    const a = client('test:hostile', writer);
    const b = client('test:hostile', writer2);
    await waitFor(() => a.provider.synced && b.provider.synced, 'sync');
    const headers = { cookie: reader, origin: live.origin };

    const garbage = rawSocket(live.wsUrl, 'test:hostile', headers);
    await garbage.opened;
    garbage.socket.send(new Uint8Array([0, 1, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]));
    expect(await garbage.closed).toBe(4400);

    const unknownType = rawSocket(live.wsUrl, 'test:hostile', headers);
    await unknownType.opened;
    unknownType.socket.send(new Uint8Array([7, 0]));
    expect(await unknownType.closed).toBe(4400);

    const text = rawSocket(live.wsUrl, 'test:hostile', headers);
    await text.opened;
    text.socket.send('hello');
    expect(await text.closed).toBe(4400);

    const bomb = rawSocket(live.wsUrl, 'test:hostile', { cookie: writer, origin: live.origin });
    await bomb.opened;
    // A claimed struct count of billions in a 20-byte update.
    bomb.socket.send(frame(0, 2, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3])));
    expect(await bomb.closed).toBe(4400);

    const big = rawSocket(live.wsUrl, 'test:hostile', headers);
    await big.opened;
    big.socket.send(new Uint8Array(1024 * 1024 + 10));
    expect(await big.closed).toBe(1009);

    a.text.insert(0, 'still fine');
    await waitFor(() => b.text.toString() === 'still fine', 'others carry on');
  });

  it('closes a user’s sockets on logout', async () => {
    const { TestClient } = await import('../../support/http.ts');
    const user = new TestClient(live.app);
    await user.register('leaver');
    const c = client('test:logout', user.cookie!);
    await waitFor(() => c.provider.synced, 'sync');
    const closed = new Promise<number>((resolve) =>
      c.provider.on('connection-close', (event) => resolve(event?.code ?? 0)),
    );
    expect((await user.post('/api/auth/logout')).statusCode).toBe(204);
    expect(await closed).toBe(4401);
  });
});
