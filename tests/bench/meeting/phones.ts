// Load generator, in its own process: phones doing what the room page
// (web/src/routes/roundtables/[id]/+page.svelte) does, with real y-websocket clients.
// - ours: GET /api/auth/session (the layout); then GET the roundtable and `me`, the inbox
//   (the bell) and the room (awareness { watching: true }); once the page shows, the minutes.
//   Check-in and ballot are POSTs, each followed by GET `me`; a room change that alters what
//   the API views answer (topicsKey / myKey of room.svelte.ts) reads them again.
// - floor: the same three sockets on a bare relay; the ballot is a key the phone writes in
//   the room's map, the close a key the floor's chair client writes.
// Commands arrive as JSON lines on stdin, events leave as JSON lines on stdout.
import { createInterface } from 'node:readline';
import { WebSocket as NodeWebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { inboxDoc, minutesDoc, roomDoc } from '@tongxin/shared/live/documents';
import type { RoomPerson, RoomState, RoomVote } from '@tongxin/shared/roundtables/floor.schemas';
import { myKey, topicsKey } from '../../../web/src/routes/roundtables/room-keys.ts';
import { socketClass } from '../../support/realtime.ts';

export interface PhonesConfig {
  mode: 'ours' | 'floor';
  origin: string;
  /** ours: ws://host/yjs; floor: ws://host */
  wsUrl: string;
  roundtableId: string;
  phones: Array<{ userId: string; cookie: string }>;
  totalPhones: number;
  /** The floor's chair client lives in process 0. */
  procIndex: number;
  /** LiveDoc's resync interval: every socket asks for news this often. */
  resyncMs: number;
  /** A phone casts its ballot this long at most after it sees the vote open. */
  spreadMs: number;
  /** How long any one wait may take before the process gives up with a message. */
  timeoutMs: number;
}

export type Command =
  | { cmd: 'rehearse'; count: number }
  | { cmd: 'join' }
  | { cmd: 'attend' }
  | { cmd: 'requests' }
  | { cmd: 'floor-vote'; voteId: string; open: boolean }
  | { cmd: 'exit' };

/** What a process reports once all its phones see the whole tally of one vote. */
export interface TallyEvent {
  ev: 'tallied';
  voteId: string;
  /** Ballot send times (wall-clock ms), and the POSTs' latencies (ours). */
  sends: number[];
  ballotMs: number[];
  /** [k-1]: when the last phone of this process first saw k ballots counted. */
  seen: number[];
}

process.setMaxListeners(0); // each WebsocketProvider adds an 'exit' listener
// y-websocket's resync timer reads the global WebSocket.OPEN, which Node 20 lacks.
(globalThis as { WebSocket?: unknown }).WebSocket ??= NodeWebSocket;
const config = JSON.parse(process.argv[2] ?? '{}') as PhonesConfig;
const emit = (event: Record<string, unknown>) => console.log(JSON.stringify(event));
/** Wall-clock ms with sub-ms precision that agrees between processes. */
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fail = (reason: string) => {
  emit({ ev: 'error', reason });
  process.exit(1);
};

let requests = 0;
let retries = 0;
const describe = (error: unknown) =>
  error instanceof Error
    ? `${error.message}${error.cause ? `: ${String(error.cause)}` : ''}`
    : String(error);
/** Close codes the phones' sockets saw: a server refusing or dropping them shows here. */
const closes: Record<number, number> = {};
const ours = config.mode === 'ours';
const rt = config.roundtableId;
const docNames = ours
  ? {
      room: roomDoc(rt),
      minutes: minutesDoc(rt),
      inbox: (u: string) => inboxDoc(u),
    }
  : { room: `${rt}-room`, minutes: `${rt}-minutes`, inbox: (u: string) => `${rt}-inbox-${u}` };

interface Track {
  sends: number[];
  ballotMs: number[];
  seen: number[];
  tallied: number;
  closed: number;
}
const tracks = new Map<string, Track>();
const track = (voteId: string): Track => {
  let t = tracks.get(voteId);
  if (!t) tracks.set(voteId, (t = { sends: [], ballotMs: [], seen: [], tallied: 0, closed: 0 }));
  return t;
};

/** What the page's API views answer that a room change can alter (room.svelte.ts). */
type FloorVote = { id: string; open: boolean };

class Phone {
  readonly providers: WebsocketProvider[] = [];
  readonly room = new Y.Doc();
  readonly #ws: typeof globalThis.WebSocket;
  readonly #counted = new Map<string, number>();
  readonly #handled = new Set<string>();
  readonly #closed = new Set<string>();
  #keys: { topics: string; me: string } | null = null;
  #presentAtJoin = 0;
  /** Requests under way; the phone is settled when none are. */
  #inFlight = 0;

  constructor(readonly user: { userId: string; cookie: string }) {
    this.#ws = socketClass(
      ours ? { cookie: user.cookie, origin: config.origin } : { origin: config.origin },
    ) as unknown as typeof globalThis.WebSocket;
  }

  get settled() {
    return this.#inFlight === 0;
  }

  async http(method: 'GET' | 'POST', path: string, body?: unknown): Promise<number> {
    requests++;
    this.#inFlight++;
    const started = now();
    try {
      const send = () =>
        fetch(`${config.origin}${path}`, {
          method,
          headers: {
            cookie: this.user.cookie,
            origin: config.origin,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      // A kept-alive connection the server closed as it was reused fails before any answer;
      // a browser sends the request again on a new one, and so does this phone (once).
      const res = await send().catch((error: unknown) => {
        retries++;
        console.error(`phone: ${method} ${path} failed (${describe(error)}), sending it again`);
        return send();
      });
      const text = await res.text();
      if (!res.ok) fail(`${method} ${path} answered ${res.status}: ${text.slice(0, 200)}`);
      return now() - started;
    } finally {
      this.#inFlight--;
    }
  }

  connect(name: string, doc: Y.Doc, watching: boolean): WebsocketProvider {
    const provider = new WebsocketProvider(config.wsUrl, name, doc, {
      WebSocketPolyfill: this.#ws,
      disableBc: true,
      resyncInterval: config.resyncMs,
      maxBackoffTime: 2500,
    });
    provider.on('connection-close', (event) => {
      const code = event?.code ?? 0;
      closes[code] = (closes[code] ?? 0) + 1;
    });
    if (watching) provider.awareness.setLocalState({ watching: true });
    else provider.awareness.setLocalState(null);
    this.providers.push(provider);
    return provider;
  }

  /** As the page opens: resolves when the room shows (API views, room, inbox, minutes). */
  async join(): Promise<void> {
    const map = this.room.getMap<unknown>('room');
    map.observe((event) => this.#onRoom(map, event));
    if (ours) await this.http('GET', '/api/auth/session');
    const inbox = this.connect(docNames.inbox(this.user.userId), new Y.Doc(), false);
    const room = this.connect(docNames.room, this.room, true);
    await Promise.all([
      ours ? this.http('GET', `/api/roundtables/${rt}`) : null,
      ours ? this.http('GET', `/api/roundtables/${rt}/me`) : null,
      synced(room, () => !ours || map.has('stage')),
      synced(inbox),
    ]);
    // The minutes panel renders only once the page has its views and the room.
    await synced(this.connect(docNames.minutes, new Y.Doc(), false));
    // Nobody checks in before every phone has joined.
    this.#presentAtJoin = (map.get('present') as RoomState['present'] | undefined)?.count ?? 0;
  }

  /** 我到场了: the POST, then `me` again. */
  async attend(): Promise<void> {
    await sleep(Math.random() * config.spreadMs);
    await this.http('POST', `/api/roundtables/${rt}/attend`, {});
    await this.http('GET', `/api/roundtables/${rt}/me`);
    // Done when the room counts every phone in: its list of names stops at 300, so a phone
    // may never see its own name there.
    const map = this.room.getMap<unknown>('room');
    await waitFor(() => {
      const present = map.get('present') as RoomState['present'] | undefined;
      return (present?.count ?? 0) >= this.#presentAtJoin + config.totalPhones && this.settled;
    }, 'the room to count every phone present');
  }

  leave() {
    for (const p of this.providers) {
      p.destroy();
      p.doc.destroy();
    }
  }

  #onRoom(map: Y.Map<unknown>, event: Y.YMapEvent<unknown>) {
    const at = now();
    if (ours) this.#refetch(map);
    const vote = map.get('vote') as RoomVote | FloorVote | null | undefined;
    if (!vote) return;
    const t = track(vote.id);
    if (vote.open && !this.#handled.has(vote.id)) {
      this.#handled.add(vote.id);
      setTimeout(() => void this.#ballot(vote.id, map), Math.random() * config.spreadMs);
    }
    const before = this.#counted.get(vote.id) ?? 0;
    let counted = before;
    if ('counted' in vote) counted = vote.counted;
    else
      for (const key of event.keysChanged)
        if (key.startsWith(`b:${vote.id}:`) && event.changes.keys.get(key)?.action === 'add')
          counted++;
    if (counted > before) {
      for (let k = before; k < counted; k++) t.seen[k] = Math.max(t.seen[k] ?? 0, at);
      this.#counted.set(vote.id, counted);
      if (before < config.totalPhones && counted >= config.totalPhones) {
        t.tallied++;
        maybeTallied(vote.id);
      }
    }
    if (!vote.open && !this.#closed.has(vote.id)) {
      this.#closed.add(vote.id);
      // The last phone here to see it is the latest: its time is this process's figure.
      if (++t.closed === phones.length) emit({ ev: 'closed', voteId: vote.id, at });
    }
  }

  async #ballot(voteId: string, map: Y.Map<unknown>) {
    const t = track(voteId);
    const sent = now();
    t.sends.push(sent);
    if (ours) {
      t.ballotMs.push(
        // The page writes my ballot into `me` itself: no read after it.
        await this.http('POST', `/api/votes/${voteId}/ballots`, { choice: 'support' }),
      );
    } else {
      map.set(`b:${voteId}:${this.user.userId}`, 'support');
    }
    maybeTallied(voteId);
  }

  /** refetchOnChange of the page: the API views again when what they answer changed. */
  #refetch(map: Y.Map<unknown>) {
    if (!map.has('stage')) return;
    const people = [...this.room.getMap<RoomPerson>('present').values()];
    const room = { ...(Object.fromEntries(map.entries()) as unknown as RoomState), people };
    const keys = { topics: topicsKey(room), me: myKey(room, this.user.userId) };
    const before = this.#keys;
    this.#keys = keys;
    if (!before) return;
    if (before.topics !== keys.topics) void this.http('GET', `/api/roundtables/${rt}`);
    if (before.me !== keys.me) void this.http('GET', `/api/roundtables/${rt}/me`);
  }
}

let phones: Phone[] = [];

/** Reports a vote once every phone here sees the whole tally and its own ballot is answered. */
function maybeTallied(voteId: string) {
  const t = track(voteId);
  const answered = ours ? t.ballotMs.length : t.sends.length;
  if (t.tallied !== phones.length || answered !== phones.length || !phones.every((p) => p.settled))
    return;
  t.tallied = -1; // once
  const event: TallyEvent = { ev: 'tallied', voteId, ...t };
  emit(event as unknown as Record<string, unknown>);
}

function synced(provider: WebsocketProvider, also: () => boolean = () => true): Promise<void> {
  return waitFor(() => provider.synced && also(), `${provider.roomname} to sync`);
}

async function waitFor(check: () => boolean, what: string, timeoutMs = config.timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline)
      fail(
        `timed out after ${timeoutMs / 1000} s waiting for ${what}; sockets closed so far, by code: ${JSON.stringify(closes)}`,
      );
    await sleep(10);
  }
}

let chair: { map: Y.Map<unknown> } | null = null;

async function handle(command: Command) {
  switch (command.cmd) {
    case 'rehearse': {
      const rehearsal = config.phones.slice(0, command.count).map((u) => new Phone(u));
      await Promise.all(rehearsal.map((p) => p.join()));
      rehearsal.forEach((p) => p.leave());
      await sleep(200);
      emit({ ev: 'rehearsed' });
      return;
    }
    case 'join': {
      phones = config.phones.map((u) => new Phone(u));
      if (!ours && config.procIndex === 0) {
        const doc = new Y.Doc();
        const provider = new WebsocketProvider(config.wsUrl, docNames.room, doc, {
          WebSocketPolyfill: socketClass({ origin: config.origin }) as unknown as typeof WebSocket,
          disableBc: true,
          resyncInterval: config.resyncMs,
        });
        provider.awareness.setLocalState(null);
        await synced(provider);
        chair = { map: doc.getMap('room') };
      }
      let joined = 0;
      const progress = setInterval(() => emit({ ev: 'progress', joined, closes }), 5_000);
      await Promise.all(phones.map((p) => p.join().then(() => joined++)));
      clearInterval(progress);
      emit({ ev: 'joined', at: now() });
      return;
    }
    case 'attend':
      if (ours) await Promise.all(phones.map((p) => p.attend()));
      await waitFor(() => phones.every((p) => p.settled), 'check-ins to settle');
      emit({ ev: 'attended' });
      return;
    case 'requests':
      emit({ ev: 'requests', requests, retries });
      return;
    case 'floor-vote': {
      if (!chair) return fail('no floor chair in this process');
      const at = now();
      chair.map.set('vote', { id: command.voteId, open: command.open });
      emit({ ev: 'floor-sent', at });
      return;
    }
    case 'exit':
      phones.forEach((p) => p.leave());
      process.exit(0);
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  if (!line.trim()) return;
  handle(JSON.parse(line) as Command).catch((error: unknown) => fail(describe(error)));
});
// The parent went away: do not linger.
process.stdin.on('end', () => process.exit(0));
emit({ ev: 'ready' });
