import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/**
 * - `connecting`: opening, not synced yet;
 * - `connected`: synced, and the server answered within the last few seconds;
 * - `offline`: the browser is offline, the socket closed, or the server went silent; the
 *   provider keeps retrying and the page keeps (and later sends) what was typed;
 * - `refused`: the server will not serve this document to us (a 44xx close).
 */
export type LiveStatus = 'connecting' | 'connected' | 'offline' | 'refused';

// The provider asks the server for news every RESYNC_MS (a sync step 1, answered at once), so
// a connection silent for SILENT_MS is gone even when no event says so (Wi-Fi that stops
// forwarding, a server that froze): 2 s + 2.5 s of grace, under 5 s before the page says so.
const RESYNC_MS = 2_000;
const SILENT_MS = 4_500;
// Silent this long: the socket is dead (a router forgot it); open a new one rather than wait
// for y-websocket's own 30 s watchdog.
const DEAD_MS = 10_000;
const TICK_MS = 500;
// Too many sockets for this user (4429) usually means dead ones the server has not swept yet
// (it pings every 30 s): try again, slowly, instead of giving up for good.
const TOO_MANY = 4429;
const TOO_MANY_BACKOFF_MS = 30_000;
const BACKOFF_MS = 2_500;

/**
 * A live (Yjs) document from the server's /yjs route, on the page's own origin and session.
 * y-websocket reconnects and resyncs by itself; this adds a status a person can trust: a
 * lost network is said within 5 s, and said to be over once the document has synced again.
 * A permanent refusal (close code 4400–4499) stops it, and the page can say why.
 */
export class LiveDoc {
  status = $state<LiveStatus>('connecting');
  readonly doc = new Y.Doc();
  readonly #provider: WebsocketProvider;
  #refused = false;
  /** A socket closed since the last sync: we are not connected, whatever the provider tries. */
  #lost = false;
  /** Silence before this instant says nothing (the page's timers were paused). */
  #quietFrom = Date.now();
  #lastTick = Date.now();
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(name: string) {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const provider = new WebsocketProvider(`${scheme}://${location.host}/yjs`, name, this.doc, {
      disableBc: true,
      resyncInterval: RESYNC_MS,
      maxBackoffTime: BACKOFF_MS,
      shouldReconnect: (event) =>
        event.code === TOO_MANY || event.code < 4400 || event.code >= 4500,
    });
    this.#provider = provider;
    // Watching a board is not being present in a room: no awareness entry.
    provider.awareness.setLocalState(null);
    provider.on('status', () => this.#judge());
    provider.on('sync', (synced) => {
      if (synced) {
        this.#lost = false;
        provider.maxBackoffTime = BACKOFF_MS;
      }
      this.#judge();
    });
    provider.on('connection-close', (event) => {
      this.#lost = true;
      if (event?.code === TOO_MANY) provider.maxBackoffTime = TOO_MANY_BACKOFF_MS;
      this.#judge();
    });
    provider.on('closed', () => {
      this.#refused = true;
      this.#judge();
    });
    window.addEventListener('offline', this.#onOffline);
    window.addEventListener('online', this.#onOnline);
    this.#timer = setInterval(this.#tick, TICK_MS);
  }

  #onOffline = () => this.#judge();

  /** Back online: the old socket may be dead without knowing it; open a new one now. */
  #onOnline = () => {
    if (!this.#refused) this.#reconnect();
    this.#judge();
  };

  #tick = () => {
    const now = Date.now();
    // The timers were paused (a hidden tab, a sleeping laptop): that silence is not the
    // network's; count afresh.
    if (now - this.#lastTick > 4 * TICK_MS) this.#quietFrom = now;
    this.#lastTick = now;
    const p = this.#provider;
    if (p.wsconnected && now - this.#heard() > DEAD_MS) this.#reconnect();
    this.#judge(now);
  };

  #heard(): number {
    return Math.max(this.#provider.wsLastMessageReceived, this.#quietFrom);
  }

  #reconnect(): void {
    this.#provider.disconnect();
    this.#lost = false; // a fresh attempt: connecting, until it fails or syncs
    this.#quietFrom = Date.now();
    this.#provider.connect();
  }

  #judge(now = Date.now()): void {
    const p = this.#provider;
    const silent = p.wsconnected && now - this.#heard() > SILENT_MS;
    let next: LiveStatus;
    if (this.#refused) next = 'refused';
    else if (!navigator.onLine || this.#lost || silent) next = 'offline';
    else if (p.wsconnected && p.synced) next = 'connected';
    else next = 'connecting';
    if (next !== this.status) this.status = next;
  }

  /** A key of a top-level map, kept current in reactive state. */
  value<T>(mapName: string, key: string): { readonly current: T | undefined } {
    const map = this.doc.getMap<T>(mapName);
    let current = $state.raw<T | undefined>(map.get(key));
    map.observe(() => (current = map.get(key)));
    return {
      get current() {
        return current;
      },
    };
  }

  /** Presence on this document, for a page that shows who is there (a room, not a board). */
  get awareness(): WebsocketProvider['awareness'] {
    return this.#provider.awareness;
  }

  destroy(): void {
    clearInterval(this.#timer);
    window.removeEventListener('offline', this.#onOffline);
    window.removeEventListener('online', this.#onOnline);
    this.#provider.destroy();
    this.doc.destroy();
  }
}
