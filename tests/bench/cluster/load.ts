// Load generator for the cluster benchmark, in a process of its own. Process 0 holds the real
// y-websocket clients: the editors (two per room) and the checkers (real clients that hold the
// whole document and everyone's presence, to show content and presence converge); the other
// processes hold the thin phones (thin.ts), split evenly. Commands arrive as JSON lines on
// stdin, events leave as JSON lines on stdout; latencies go to a file as (ms, tag) float64
// pairs, the tag being 2 × the receiving instance + 1 when the editor was on another instance.
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { marker, scanMarkers, Seen, ThinPhone, type Marker } from './thin.ts';

export interface Room {
  doc: string;
  thin: number;
  editors: number;
  checkers: number;
}

export interface LoadConfig {
  /** 0: editors and checkers; 1…thinProcs: thin phones. */
  procIndex: number;
  thinProcs: number;
  /** ws://127.0.0.1:<port> of each instance. */
  backends: string[];
  cookie: string;
  rooms: Room[];
  samplesFile: string;
  echo: boolean;
  timeoutMs: number;
}

export type Command =
  | { cmd: 'join' }
  | { cmd: 'edit'; everyMs: number }
  | { cmd: 'window'; from: number; to: number }
  | { cmd: 'report' }
  | { cmd: 'mark' }
  | { cmd: 'watch'; counts: number[][]; dead?: number }
  | { cmd: 'stop-edit' }
  | { cmd: 'final'; counts: number[][] }
  | { cmd: 'exit' };

process.setMaxListeners(0); // each WebsocketProvider adds an 'exit' listener
// y-websocket's resync timer reads the global WebSocket.OPEN, which Node 20 lacks.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
const config = JSON.parse(process.argv[2] ?? '{}') as LoadConfig;
const emit = (event: Record<string, unknown>) => console.log(JSON.stringify(event));
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const httpOrigin = (ws: string) => ws.replace(/^ws/, 'http');
const nb = config.backends.length;

// --- latencies -------------------------------------------------------------------------------
let samples = new Float64Array(1 << 16);
let count = 0;
let window = { from: Infinity, to: -Infinity };
let cpuAtWindow = process.cpuUsage();
let wallAtWindow = performance.now();
function record(m: Marker, at: number, instance: number) {
  if (m.sentMs < window.from || m.sentMs > window.to) return;
  if (count + 2 > samples.length) {
    const grown = new Float64Array(samples.length * 2);
    grown.set(samples);
    samples = grown;
  }
  samples[count++] = at - m.sentMs;
  samples[count++] = 2 * instance + (m.instance === instance ? 0 : 1);
}

/** Close codes the thin phones' sockets saw: a server refusing or dropping them shows here. */
const closes: Record<number, number> = {};

// --- thin phones -------------------------------------------------------------------------------
interface ThinEntry {
  phone: ThinPhone;
  room: number;
}
const thins: ThinEntry[] = [];
if (config.procIndex > 0) {
  let k = 0;
  config.rooms.forEach((room, r) => {
    for (let i = 0; i < room.thin; i++, k++) {
      if (k % config.thinProcs !== config.procIndex - 1) continue;
      const phone = new ThinPhone({
        backends: config.backends,
        preferred: k % nb,
        docName: room.doc,
        headers: { cookie: config.cookie },
        editors: room.editors,
        echo: config.echo,
        onEdit: (p, m, at) => record(m, at, p.current),
        onClose: (code) => (closes[code] = (closes[code] ?? 0) + 1),
      });
      thins.push({ phone, room: r });
    }
  });
}

// --- real clients ------------------------------------------------------------------------------
/**
 * A WebSocket class for one y-websocket client that goes to the next instance when the one it
 * tried refuses it, as a balancer would send it: the provider's URL names the first instance.
 */
function failoverSocket(start: number, onInstance: (i: number) => void) {
  let current = start;
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      const path = new URL(url).pathname;
      const base = config.backends[current]!;
      super(`${base}${path}`, protocols, {
        headers: { cookie: config.cookie, origin: httpOrigin(base) },
      });
      onInstance(current);
      let opened = false;
      this.once('open', () => (opened = true));
      this.once('close', () => {
        if (!opened) current = (current + 1) % nb;
      });
    }
  };
}

interface Real {
  room: number;
  doc: Y.Doc;
  provider: WebsocketProvider;
  instance: number;
  seen: Seen;
  editor: number | null;
}
const reals: Real[] = [];
/** Edits sent so far, per room per editor. */
const sent: number[][] = config.rooms.map((room) => Array<number>(room.editors).fill(0));
const expectedPresence = config.rooms.map((room) => room.thin + room.editors + room.checkers);

function real(room: number, start: number, editor: number | null): Real {
  const doc = new Y.Doc();
  const r = {
    room,
    doc,
    instance: start,
    seen: new Seen(config.rooms[room]!.editors),
    editor,
  } as Real;
  const provider = new WebsocketProvider(
    `${config.backends[start]}/yjs`,
    config.rooms[room]!.doc,
    doc,
    {
      WebSocketPolyfill: failoverSocket(start, (i) => (r.instance = i)) as never,
      disableBc: true,
      maxBackoffTime: 2500,
      connect: false, // on 'join'
    },
  );
  r.provider = provider;
  provider.awareness.setLocalState({ watching: true });
  // The checker reads its edits off the update bytes as a thin phone does (Y.Doc applied too).
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === null) return; // its own edit (editors)
    const at = now();
    scanMarkers(Buffer.from(update.buffer, update.byteOffset, update.length), 0, (m) => {
      if (r.seen.add(m.editor, m.seq) && editor === null) record(m, at, r.instance);
    });
  });
  reals.push(r);
  return r;
}

if (config.procIndex === 0) {
  config.rooms.forEach((room, r) => {
    for (let e = 0; e < room.editors; e++) real(r, (r + e) % nb, e);
    for (let c = 0; c < room.checkers; c++) real(r, c % nb, null);
  });
}

const editTimers: NodeJS.Timeout[] = [];
function startEditing(everyMs: number) {
  for (const r of reals) {
    if (r.editor === null) continue;
    const e = r.editor;
    const text = r.doc.getText('t');
    const tick = () => {
      const seq = sent[r.room]![e]!++;
      text.insert(text.length, marker(e, seq, r.instance, now()));
    };
    setTimeout(() => editTimers.push(setInterval(tick, everyMs)), Math.random() * everyMs).unref();
  }
}

// --- convergence -------------------------------------------------------------------------------
const realBack = (r: Real) => r.provider.wsconnected && r.provider.synced;
/** Clients not (yet) synced on a live instance, or lacking an edit below `counts`. */
function notYet(counts: number[][] | null, dead = -1): number {
  let n = 0;
  for (const { phone, room } of thins)
    if (!phone.synced || phone.current === dead || (counts && !phone.seen.covers(counts[room]!)))
      n++;
  for (const r of reals)
    if (
      !realBack(r) ||
      r.instance === dead ||
      (counts && r.editor === null && !r.seen.covers(counts[r.room]!))
    )
      n++;
  return n;
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** Checkers' presence: each sees every client of its room. */
const presenceComplete = () =>
  reals.every(
    (r) => r.editor !== null || r.provider.awareness.getStates().size >= expectedPresence[r.room]!,
  );

async function handle(command: Command) {
  switch (command.cmd) {
    case 'join': {
      for (const { phone } of thins) phone.connect();
      for (const r of reals) r.provider.connect();
      const ok = await until(() => notYet(null) === 0, config.timeoutMs);
      emit({ ev: 'joined', at: now(), ok, missing: notYet(null), closes });
      if (config.procIndex === 0) {
        const seen = await until(presenceComplete, config.timeoutMs);
        emit({ ev: 'presence', at: seen ? now() : null });
      }
      return;
    }
    case 'edit':
      startEditing(command.everyMs);
      emit({ ev: 'editing' });
      return;
    case 'window':
      window = { from: command.from, to: command.to };
      count = 0;
      cpuAtWindow = process.cpuUsage();
      wallAtWindow = performance.now();
      for (const { phone } of thins) phone.frames = 0;
      return;
    case 'report': {
      const cpu = process.cpuUsage(cpuAtWindow);
      const cpuShare = (cpu.user + cpu.system) / 1000 / (performance.now() - wallAtWindow);
      writeFileSync(config.samplesFile, samples.subarray(0, count));
      const frames = thins.reduce((n, t) => n + t.phone.frames, 0);
      const rss = process.memoryUsage().rss / 2 ** 20;
      emit({ ev: 'report', samples: count / 2, cpuShare, frames, rss });
      return;
    }
    case 'mark':
      emit({ ev: 'mark', counts: sent.map((s) => [...s]) });
      return;
    case 'watch': {
      const dead = command.dead ?? -1;
      const ok = await until(() => notYet(command.counts, dead) === 0, config.timeoutMs);
      emit({ ev: 'converged', at: ok ? now() : null, missing: notYet(command.counts, dead) });
      return;
    }
    case 'stop-edit':
      editTimers.splice(0).forEach(clearInterval);
      await sleep(50);
      emit({ ev: 'stopped', counts: sent.map((s) => [...s]) });
      return;
    case 'final': {
      await until(() => notYet(command.counts) === 0, config.timeoutMs);
      let missing = 0;
      let clients = 0;
      for (const { phone, room } of thins) {
        const m = phone.seen.missing(command.counts[room]!);
        missing += m;
        if (m > 0) clients++;
      }
      let textsDiffer = 0;
      for (const r of reals) {
        const m = r.editor === null ? r.seen.missing(command.counts[r.room]!) : 0;
        missing += m;
        if (m > 0) clients++;
        const editor = reals.find((x) => x.room === r.room && x.editor !== null);
        if (editor && editor.doc.getText('t').toString() !== r.doc.getText('t').toString())
          textsDiffer++;
      }
      let stored: number | null = null;
      if (config.procIndex === 0) stored = await storedMissing(command.counts);
      emit({ ev: 'final', missing, clients, textsDiffer, stored, notSynced: notYet(null) });
      return;
    }
    case 'exit':
      for (const { phone } of thins) phone.stop();
      for (const r of reals) r.provider.destroy();
      process.exit(0);
  }
}

/** What a late joiner gets from the servers: edits missing from each room as stored. */
async function storedMissing(counts: number[][]): Promise<number | null> {
  let missing = 0;
  for (const [r, room] of config.rooms.entries()) {
    const phone = new ThinPhone({
      backends: config.backends,
      preferred: 0,
      docName: room.doc,
      headers: { cookie: config.cookie },
      editors: room.editors,
      echo: false,
      onEdit: () => {},
    });
    phone.connect();
    // A late joiner the server never answers tells nothing about what it stored.
    if (!(await until(() => phone.synced, 30_000))) return null;
    missing += phone.seen.missing(counts[r]!);
    phone.stop();
  }
  return missing;
}

createInterface({ input: process.stdin }).on('line', (line) => {
  if (!line.trim()) return;
  handle(JSON.parse(line) as Command).catch((error: unknown) => {
    emit({ ev: 'error', reason: String(error) });
    process.exit(1);
  });
});
process.stdin.on('end', () => process.exit(0));
emit({ ev: 'ready' });
