import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/** connecting → connected; offline while the provider retries; refused on a 44xx close. */
export type LiveStatus = 'connecting' | 'connected' | 'offline' | 'refused';

/**
 * A live (Yjs) document from the server's /yjs route, on the page's own origin and session.
 * y-websocket reconnects and resyncs by itself; a permanent refusal (close code 4400–4499)
 * stops it, and the page can say why instead of spinning.
 */
export class LiveDoc {
  status = $state<LiveStatus>('connecting');
  readonly doc = new Y.Doc();
  readonly #provider: WebsocketProvider;

  constructor(name: string) {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    this.#provider = new WebsocketProvider(`${scheme}://${location.host}/yjs`, name, this.doc, {
      disableBc: true,
    });
    // Watching a board is not being present in a room: no awareness entry.
    this.#provider.awareness.setLocalState(null);
    this.#provider.on('status', ({ status }) => {
      if (this.status === 'refused') return;
      this.status =
        status === 'connected' ? 'connected' : status === 'connecting' ? 'connecting' : 'offline';
    });
    this.#provider.on('connection-close', (event) => {
      if (event && event.code >= 4400 && event.code < 4500) this.status = 'refused';
    });
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
    this.#provider.destroy();
    this.doc.destroy();
  }
}
