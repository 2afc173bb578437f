import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { DEMO_PASSWORD } from '@tongxin/db/demo/seed-demo';
import type { App, BuildOptions } from '@tongxin/server';
import { buildTestApp } from './app.ts';
import { TestClient } from './http.ts';

/**
 * Test documents: `test:*` is collaborative (users named reader* may only read),
 * `gov:*` is server-owned and seeded once with `{ seeded: 1 }`.
 */
export function registerTestDocuments(app: App) {
  app.live.registerDocument({
    pattern: 'test:*',
    kind: 'collaborative',
    access: (user) => (user.username.startsWith('reader') ? 'read' : 'write'),
  });
  app.live.registerDocument({
    pattern: 'gov:*',
    kind: 'server-owned',
    access: () => 'write', // server-owned: clients get read whatever this says
    seed: (doc) => {
      doc.getMap('state').set('seeded', 1);
    },
  });
}

export interface LiveTestApp {
  app: App;
  /** http://127.0.0.1:port — also the Origin the server trusts. */
  origin: string;
  wsUrl: string;
  close(): Promise<void>;
}

/** The real app on a fresh database, listening on 127.0.0.1 on a free port. */
export async function startLiveApp(options: Partial<BuildOptions> = {}): Promise<LiveTestApp> {
  const test = await buildTestApp(options);
  registerTestDocuments(test.app);
  await test.app.listen({ port: 0, host: '127.0.0.1' });
  const address = test.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    app: test.app,
    origin: `http://127.0.0.1:${address.port}`,
    wsUrl: `ws://127.0.0.1:${address.port}/yjs`,
    close: () => test.close(),
  };
}

/** Registers a user through the API and returns the session cookie. */
export async function signUp(app: App, username: string): Promise<string> {
  const client = new TestClient(app);
  await client.register(username);
  if (!client.cookie) throw new Error('no session cookie');
  return client.cookie;
}

/** The same over real HTTP, for a server in a child process. */
export async function signUpOver(origin: string, username: string): Promise<string> {
  const res = await fetch(`${origin}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ username, displayName: username, password: 'correct horse battery' }),
  });
  if (res.status !== 201) throw new Error(`register ${res.status}: ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.includes('tongxin_session'));
  if (!cookie) throw new Error('no cookie');
  return cookie.split(';')[0]!;
}

/** Logs one of the demo's users in over real HTTP and returns the session cookie. */
export async function logInOver(origin: string, username: string): Promise<string> {
  const res = await fetch(`${origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${res.status}: ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith('tongxin_session'))!
    .split(';')[0]!;
}

/** ws's WebSocket with the headers a browser would send (cookie, Origin). */
export function socketClass(
  headers: Record<string, string>,
): new (url: string | URL, protocols?: string | string[]) => WebSocket {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  };
}

export interface ProviderOptions {
  cookie: string;
  origin: string;
  doc?: Y.Doc;
  maxBackoffTime?: number;
}

/** A real y-websocket client in Node. */
export function connect(wsUrl: string, docName: string, options: ProviderOptions) {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, docName, doc, {
    // ws implements the browser WebSocket API y-websocket uses (onmessage, onclose, send),
    // but its typings differ from the DOM ones in parts y-websocket never touches.
    WebSocketPolyfill: socketClass({
      cookie: options.cookie,
      origin: options.origin,
    }) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: options.maxBackoffTime ?? 500,
  });
  return { doc, provider, text: doc.getText('t') };
}

/** Polls until `check` holds; the timeout is generous, there is no timing assertion. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what = 'condition',
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

type Client = ReturnType<typeof connect>;
let markers = 0;

/**
 * Resolves once the server has handled every frame `sender` sent before the call, and made
 * durable and applied any update it accepted. A socket's frames are handled in order, so once
 * a presence marker `sender` sets afterwards reaches `observer`, the frames before it were
 * handled; flushing then drains the write queue. Checking that something was refused after
 * this needs no sleep: whatever the server took would already be in its document.
 */
export async function handledSoFar(app: App, sender: Client, observer: Client): Promise<void> {
  const marker = ++markers;
  sender.provider.awareness.setLocalStateField('handledMarker', marker);
  await waitFor(
    () =>
      [...observer.provider.awareness.getStates().values()].some(
        (state) => state['handledMarker'] === marker,
      ),
    'the sender’s later presence marker',
  );
  await app.live.flush();
}

export interface RawSocket {
  socket: WebSocket;
  messages: Uint8Array[];
  /** Resolves with the close code. */
  closed: Promise<number>;
  /** Resolves with the HTTP status when the upgrade is refused. */
  refused: Promise<number>;
  opened: Promise<void>;
}

/** A bare socket for hand-crafted frames. */
export function rawSocket(
  wsUrl: string,
  docName: string,
  headers: Record<string, string>,
): RawSocket {
  const socket = new WebSocket(`${wsUrl}/${docName}`, { headers });
  const messages: Uint8Array[] = [];
  socket.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const refused = new Promise<number>((resolve) =>
    socket.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    }),
  );
  socket.on('error', () => {});
  const opened = new Promise<void>((resolve) => socket.on('open', () => resolve()));
  return { socket, messages, closed, refused, opened };
}
