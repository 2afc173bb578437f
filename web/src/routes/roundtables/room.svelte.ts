import { roomDoc } from '@tongxin/shared/live/documents';
import type { RoomPerson, RoomState, RoomView } from '@tongxin/shared/roundtables/floor.schemas';
import { LiveDoc } from '$lib/live/live-doc.svelte';
import { myKey, topicsKey } from './room-keys';

/**
 * The roundtable's live room as the server last published it (stage, agenda, current topic,
 * who is present, the queue and speaker, the vote, action items). Read-only: every change
 * goes through an API command, and the server republishes the room from the database.
 *
 * Who is watching right now is not in the room: it is live presence (awareness), where the
 * server stamps each state with its socket's user. Having the page open is watching, never
 * being present (attendance is a check-in, in the room's `present`).
 */
export class Room {
  readonly live: LiveDoc;
  #state = $state.raw<Partial<RoomState>>({});
  #people = $state.raw<RoomPerson[]>([]);
  #watching = $state(1);

  constructor(roundtableId: string) {
    this.live = new LiveDoc(roomDoc(roundtableId));
    const map = this.live.doc.getMap<unknown>('room');
    const read = () => (this.#state = Object.fromEntries(map.entries()) as Partial<RoomState>);
    map.observe(read);
    read();
    // Who checked in is its own map, one entry per check-in: an arrival changes one entry.
    const present = this.live.doc.getMap<RoomPerson>('present');
    const readPresent = () =>
      (this.#people = [...present.entries()]
        .sort(([a, p], [b, q]) => p.at.localeCompare(q.at) || a.localeCompare(b))
        .map(([, person]) => person));
    present.observe(readPresent);
    readPresent();
    const awareness = this.live.awareness;
    awareness.setLocalState({ watching: true });
    const userOf = (state: unknown) => {
      const id = (state as { user?: { id?: unknown } } | null)?.user?.id;
      return typeof id === 'string' ? id : null;
    };
    const count = () => {
      const others = [...awareness.getStates()]
        .filter(([clientId]) => clientId !== awareness.clientID)
        .map(([, state]) => userOf(state));
      // Me, by the server's stamp on my own state once it has one: another tab of mine is me.
      const ids = [userOf(awareness.getLocalState()) ?? 'me', ...others].filter(
        (id): id is string => id !== null,
      );
      this.#watching = ids.filter((id, i) => ids.indexOf(id) === i).length;
    };
    awareness.on('change', count);
    count();
  }

  /** The whole room once it has synced, with who checked in; null before (pages show a spinner). */
  get state(): RoomView | null {
    return this.#state.stage ? { ...(this.#state as RoomState), people: this.#people } : null;
  }

  /** People with the room open right now (this page included), each counted once. */
  get watching(): number {
    return this.#watching;
  }

  destroy(): void {
    this.live.destroy();
  }
}

/**
 * Calls `refetch` each time `key` takes a new value, and not for the first one (the page
 * loaded its API views when it opened). A `$derived` string is compared by value, so the room
 * being a new object on every change of the live document re-runs nothing by itself.
 */
export function refetchOnChange(key: () => string | null, refetch: () => void): void {
  const current = $derived(key());
  let seen: string | null = null;
  $effect(() => {
    const k = current;
    if (k === null || k === seen) return;
    const first = seen === null;
    seen = k;
    if (!first) refetch();
  });
}

/**
 * What every room page reads again, and when: the topic list when `topicsKey` moves, my view
 * when `myKey` does (room-keys.ts). Call once from a component's setup.
 */
export function refetchRoomViews(
  room: () => RoomView | null,
  myId: () => string | null,
  refetch: { view: () => void; me: () => void },
): void {
  refetchOnChange(() => {
    const r = room();
    return r && topicsKey(r);
  }, refetch.view);
  refetchOnChange(() => {
    const r = room();
    return r && myKey(r, myId());
  }, refetch.me);
}
