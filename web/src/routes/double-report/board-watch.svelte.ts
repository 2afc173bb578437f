import { claimsBoardDoc } from '@tongxin/shared/live/documents';
import type { Board } from '@tongxin/shared/double-report/claims.schemas';
import { LiveDoc } from '$lib/live/live-doc.svelte';

/**
 * Keeps a double-report view current: watches the community's live 公示 board and calls
 * `changed` when the part of it this view depends on (its `signature`) changes — not on every
 * republish of the board. The first synced board counts as a change, because something may
 * have happened between the page's first fetch and the live document's first sync.
 */
export function watchBoard(
  communityId: string,
  signature: (board: Board) => unknown,
  changed: () => void,
): LiveDoc {
  const live = new LiveDoc(claimsBoardDoc(communityId));
  const map = live.doc.getMap<Board>('board');
  let last: string | null = null;
  map.observe(() => {
    const board = map.get('data');
    if (!board) return;
    const next = JSON.stringify(signature(board));
    if (next === last) return;
    last = next;
    changed();
  });
  return live;
}

/** A claim as far as a view cares: which one, where it stands, how it was rated. */
export const claimState = (c: Board['claims'][number]) => [c.claimId, c.status, c.rating];
