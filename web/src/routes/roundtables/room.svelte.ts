import { roomDocName, type RoomState } from '@tongxin/shared/roundtable/meeting.schemas';
import { LiveDoc } from '$lib/live/live-doc.svelte';

/**
 * The roundtable's live room as the server last published it (stage, agenda, current topic,
 * who is present, the queue and speaker, the vote, action items). Read-only: every change
 * goes through an API command, and the server republishes the room from the database.
 */
export class Room {
  readonly live: LiveDoc;
  #state = $state.raw<Partial<RoomState>>({});

  constructor(roundtableId: string) {
    this.live = new LiveDoc(roomDocName(roundtableId));
    const map = this.live.doc.getMap<unknown>('room');
    const read = () => (this.#state = Object.fromEntries(map.entries()) as Partial<RoomState>);
    map.observe(read);
    read();
  }

  /** The whole room once it has synced; null before (pages show a spinner). */
  get state(): RoomState | null {
    return this.#state.stage ? (this.#state as RoomState) : null;
  }

  destroy(): void {
    this.live.destroy();
  }
}
