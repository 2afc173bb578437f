import { teamsBoardDoc } from '@tongxin/shared/live/documents';
import { type BoardShift } from '@tongxin/shared/teams/teams.schemas';
import { LiveDoc } from '$lib/live/live-doc.svelte';

/**
 * The community's live sign-up board: place counts and waiting lists of every upcoming
 * shift, as the server last published them. Pages read `shift(id)`; until the document
 * has synced they fall back on what the REST call said.
 */
export class TeamsBoard {
  readonly live: LiveDoc;
  #shifts = $state.raw<Record<string, BoardShift>>({});

  constructor(communityId: string) {
    this.live = new LiveDoc(teamsBoardDoc(communityId));
    const map = this.live.doc.getMap<BoardShift>('shifts');
    const read = () => (this.#shifts = Object.fromEntries(map.entries()));
    map.observe(read);
    read();
  }

  shift(id: string): BoardShift | undefined {
    return this.#shifts[id];
  }

  destroy(): void {
    this.live.destroy();
  }
}
