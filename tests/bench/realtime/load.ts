// Load generator, run in its own process(es): y-websocket clients on one document. With N
// split over several processes (one core cannot decode every message for a thousand
// clients), each process holds its share and the first one also holds the two editors.
// Prints JSON lines: {"event":"joined",...}, then, after "go" on stdin, {"event":"result",...};
// fan-out latencies go to `samplesFile` as raw float64s for the parent to merge.
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { socketClass } from '../../support/realtime.ts';

export interface LoadConfig {
  mode: 'fanout' | 'late';
  wsUrl: string;
  docName: string;
  cookie: string;
  origin: string;
  /** Clients in this process. */
  clients: number;
  /** Clients over all load processes (presence waits for all of them). */
  totalClients: number;
  /** 0 for the process that also runs the editors. */
  procIndex: number;
  samplesFile: string;
  awareness: boolean;
  seconds: number;
  /** Editing before latencies count: the first edits meet cold code in every client. */
  warmUpSeconds: number;
  /** late mode: edits in the document before the late joiners arrive. */
  edits: number;
  joinTimeoutMs: number;
  /** Clients that join and leave before the rest (the memory baseline's warm-up). */
  rehearsals?: number;
}

// Each WebsocketProvider adds a process 'exit' listener; a thousand of them are intended.
process.setMaxListeners(0);
const config = JSON.parse(process.argv[2] ?? '{}') as LoadConfig;
/** Close codes seen by clients: a server dropping sockets shows up here. */
const closes: Record<number, number> = {};
const emit = (event: Record<string, unknown>) => console.log(JSON.stringify(event));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WS = socketClass(
  config.cookie ? { cookie: config.cookie, origin: config.origin } : { origin: config.origin },
) as unknown as typeof globalThis.WebSocket;

function client(doc = new Y.Doc(), presence?: string) {
  const provider = new WebsocketProvider(config.wsUrl, config.docName, doc, {
    WebSocketPolyfill: WS,
    disableBc: true,
    connect: false,
  });
  if (presence) provider.awareness.setLocalStateField('user', { name: presence });
  else provider.awareness.setLocalState(null);
  provider.on('connection-close', (event) => {
    const code = event?.code ?? 0;
    closes[code] = (closes[code] ?? 0) + 1;
  });
  provider.connect();
  return { doc, provider };
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (check()) return true;
    await sleep(5);
  }
  return false;
}

/** A wall-clock time in ms with sub-ms precision that agrees between processes. */
const now = () => performance.timeOrigin + performance.now();

/** Resolves when the parent writes "go": every load process has joined by then. */
const go = () =>
  new Promise<void>((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      if (line.trim() === 'go') {
        lines.close();
        resolve();
      }
    });
  });

async function fanout() {
  if (config.rehearsals) {
    const rehearsal = Array.from({ length: config.rehearsals }, () => client());
    await until(() => rehearsal.every((c) => c.provider.synced), config.joinTimeoutMs);
    for (const c of rehearsal) c.provider.destroy();
    await sleep(200);
  }
  const started = performance.now();
  const clients = Array.from({ length: config.clients }, (_, i) =>
    client(new Y.Doc(), config.awareness ? `c${config.procIndex}-${i}` : undefined),
  );
  const joined = await until(() => clients.every((c) => c.provider.synced), config.joinTimeoutMs);
  const joinMs = joined ? performance.now() - started : null;
  let presenceMs: number | null = null;
  if (config.awareness && joined) {
    const last = clients.at(-1)!;
    const ok = await until(
      () => last.provider.awareness.getStates().size >= config.totalClients,
      config.joinTimeoutMs,
    );
    presenceMs = ok ? performance.now() - started : null;
  }
  emit({ event: 'joined', joinMs, presenceMs });
  if (!joined) {
    emit({ event: 'result', joinMs, presenceMs, samples: 0, genCpu: null, closes });
    process.exit(0);
  }
  await go();

  const samples = new Float64Array(config.seconds * 25 * config.clients + 1000);
  let count = 0;
  const measureFrom = now() + config.warmUpSeconds * 1000;
  clients.forEach((c) => {
    c.doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.local) return; // an editor's own change is not fan-out
      const at = now();
      // Each edit carries its send time in its text ("<editor>@<ms>;"), found by the
      // clock the editor's client advanced from: no extra item to integrate.
      tr.afterState.forEach((clock, client) => {
        const from = tr.beforeState.get(client) ?? 0;
        if (clock <= from) return;
        const item = Y.getItem(c.doc.store, Y.createID(client, from));
        if (!(item instanceof Y.Item) || !(item.content instanceof Y.ContentString)) return;
        const edit = item.content.str.slice(from - item.id.clock);
        const sent = Number(edit.slice(edit.indexOf('@') + 1, edit.indexOf(';')));
        if (sent >= measureFrom && count < samples.length) {
          samples[count++] = at - sent;
        }
      });
    });
  });
  const editors = (config.procIndex === 0 ? clients.slice(0, 2) : []).map((c, e) =>
    setInterval(() => {
      const text = c.doc.getText('t');
      text.insert(Math.floor(Math.random() * (text.length + 1)), `${e}@${now().toFixed(3)};`);
    }, 100),
  );
  await sleep(config.warmUpSeconds * 1000);
  const cpuBefore = process.cpuUsage();
  const editStart = performance.now();
  await sleep(config.seconds * 1000);
  editors.forEach(clearInterval);
  await sleep(1000);
  const cpu = process.cpuUsage(cpuBefore);
  const genCpu = (cpu.user + cpu.system) / 1000 / (performance.now() - editStart);
  writeFileSync(config.samplesFile, samples.subarray(0, count));
  emit({ event: 'result', joinMs, presenceMs, genCpu, samples: count, closes });
  process.exit(0);
}

/**
 * The server's share of a late join: a bare socket sends sync step 1 with an empty state
 * vector and times the complete step-2 answer.
 */
async function bareStep2(): Promise<number | null> {
  const ws = new WS(`${config.wsUrl}/${config.docName}`);
  ws.binaryType = 'arraybuffer';
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  const answer = new Promise<Uint8Array>((resolve) => {
    ws.onmessage = (event: { data: unknown }) => {
      const decoder = decoding.createDecoder(new Uint8Array(event.data as ArrayBuffer));
      if (decoding.readVarUint(decoder) !== 0 || decoding.readVarUint(decoder) !== 1) return;
      resolve(decoding.readVarUint8Array(decoder));
    };
  });
  const started = performance.now();
  ws.send(new Uint8Array([0, 0, 1, 0])); // sync, step 1, state vector of an empty doc
  const update = await Promise.race([answer, sleep(120_000).then(() => null)]);
  ws.close();
  return update ? performance.now() - started : null;
}

async function late() {
  const writer = client();
  await until(() => writer.provider.synced, 30_000);
  const text = writer.doc.getText('t');
  for (let done = 0; done < config.edits; done += 1000) {
    writer.doc.transact(() => {
      for (let i = 0; i < 1000 && done + i < config.edits; i++)
        text.insert(Math.floor(Math.random() * (text.length + 1)), 'x');
    });
    await sleep(2);
  }
  const expected = text.length;
  // The client's share: from the moment it starts applying the answer until Yjs has
  // re-encoded it for the doc's update listeners (y-websocket's own among them).
  const join = async () => {
    const started = performance.now();
    const c = client();
    let applying = 0;
    let clientMs = 0;
    c.doc.on('beforeTransaction', () => (applying ||= performance.now()));
    c.doc.on('update', () => (clientMs = performance.now() - applying));
    const ok = await until(
      () => c.provider.synced && c.doc.getText('t').length === expected,
      120_000,
    );
    const ms = performance.now() - started;
    c.provider.destroy();
    c.doc.destroy();
    return ok ? { ms, clientMs } : null;
  };
  await join(); // warm-up: also waits until the server holds every edit
  const joins: Array<{ ms: number; clientMs: number } | null> = [];
  for (let i = 0; i < 3; i++) joins.push(await join());
  const server: Array<number | null> = [];
  for (let i = 0; i < 3; i++) server.push(await bareStep2());
  const mid = (xs: Array<number | null>) => {
    const valid = xs.filter((t): t is number => t !== null).sort((a, b) => a - b);
    return valid[Math.floor(valid.length / 2)] ?? null;
  };
  emit({
    event: 'result',
    lateMs: mid(joins.map((j) => j?.ms ?? null)),
    serverMs: mid(server),
    clientMs: mid(joins.map((j) => j?.clientMs ?? null)),
  });
  process.exit(0);
}

await (config.mode === 'late' ? late() : fanout());
