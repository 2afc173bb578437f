import { teamsBoardDoc } from '@tongxin/shared/live/documents';
import { type BoardActivity } from '@tongxin/shared/teams/teams.schemas';
import { LiveDoc } from '$lib/live/live-doc.svelte';

/**
 * The community's live sign-up board: place counts and waiting lists of every upcoming
 * activity, as the server last published them. Pages read `activity(id)`; until the document
 * has synced they fall back on what the REST call said.
 */
export class TeamsBoard {
  readonly live: LiveDoc;
  #activities = $state.raw<Record<string, BoardActivity>>({});

  constructor(communityId: string) {
    this.live = new LiveDoc(teamsBoardDoc(communityId));
    const map = this.live.doc.getMap<BoardActivity>('activities');
    const read = () => (this.#activities = Object.fromEntries(map.entries()));
    map.observe(read);
    read();
  }

  activity(id: string): BoardActivity | undefined {
    return this.#activities[id];
  }

  destroy(): void {
    this.live.destroy();
  }
}
