// What presence costs a y-websocket client, whatever the server: every peer's state must reach
// every client at least once per 30 s (y-protocols drops a state not renewed for that long),
// and the client re-encodes each state it receives to send it back (y-websocket echoes every
// awareness change). This times that work in a real, unconnected WebsocketProvider holding
// N peers, renewed as our server renews them (frames of N/20 states, each state every 20 s),
// and prints what it adds up to for a room of N phones. Prints figures, never pass/fail.
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';

const N = Number(process.env.BENCH_PRESENCE_N ?? 1000);
const KEEP_ALIVE_S = 20; // the server's awarenessKeepAliveMs
const FRAMES = Number(process.env.BENCH_PRESENCE_FRAMES ?? 4000);
const perFrame = Math.ceil(N / 20);

const doc = new Y.Doc();
// Never connected: its awareness handler encodes the echo as it would for a socket.
const provider = new WebsocketProvider('ws://127.0.0.1:9', 'bench', doc, {
  connect: false,
  disableBc: true,
  WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
});
provider.awareness.setLocalStateField('user', { name: 'me' });

// States as our server relays them: the client's own fields with the server's `user`.
const state = (i: number) =>
  JSON.stringify({
    name: `c${i}`,
    user: {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      name: '居民',
      role: 'resident',
    },
  });
const clocks = new Array<number>(N).fill(0);
function frame(ids: number[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, ids.length);
  for (const i of ids) {
    encoding.writeVarUint(e, 10_000 + i);
    encoding.writeVarUint(e, ++clocks[i]!);
    encoding.writeVarString(e, state(i));
  }
  return encoding.toUint8Array(e);
}

const apply = (f: Uint8Array) =>
  awarenessProtocol.applyAwarenessUpdate(provider.awareness, f, 'server');
const renewals = Array.from({ length: FRAMES }, (_, k) =>
  frame(Array.from({ length: perFrame }, (_, j) => (k * perFrame + j) % N)),
);
const joinFrame = frame([...Array(N).keys()]);

let started = performance.now();
apply(joinFrame);
const joinMs = performance.now() - started;
for (const f of renewals.slice(0, 200)) apply(f); // warm-up
started = performance.now();
for (const f of renewals.slice(200)) apply(f);
const usPerState = ((performance.now() - started) * 1000) / ((FRAMES - 200) * perFrame);

const statesPerSecond = N / KEEP_ALIVE_S; // per client
const msPerClientSecond = (statesPerSecond * usPerState) / 1000;
const cores = (msPerClientSecond * N) / 1000;
console.log(`Presence cost in one y-websocket client (Node ${process.version}), N=${N}`);
console.log(`| figure | value |\n|---|---|`);
console.log(`| learn ${N} states on joining | ${joinMs.toFixed(1)} ms |`);
console.log(`| one renewal (apply + echo encode) | ${usPerState.toFixed(2)} µs |`);
console.log(`| renewals per client per second (every ${KEEP_ALIVE_S} s) | ${statesPerSecond} |`);
console.log(`| per client | ${msPerClientSecond.toFixed(2)} ms of CPU per second |`);
console.log(`| ${N} clients on one machine | ${cores.toFixed(2)} cores, before any edit |`);
console.log(
  `| a room of ${N} joining at once | ${((N * N * usPerState) / 1e6).toFixed(1)} s of client CPU in all |`,
);
provider.destroy();
doc.destroy(); // the awareness's own timer goes with the document
