import { teamsBoardDocName, type BoardShift } from '@tongxin/shared/teams/teams.schemas';
import { communitiesOfUser, presentCountsOf, waitlistsOf, type DbOrTx } from '@tongxin/db';
import { Coalescer } from '../realtime/coalescer.ts';
import type { App } from '../http/types.ts';

/** Place counts and waiting lists of a community's shifts that have not ended yet. */
async function boardShifts(
  db: DbOrTx,
  communityId: string,
  activityIds?: string[],
): Promise<Map<string, BoardShift>> {
  let q = db
    .selectFrom('activities')
    .select(['id', 'confirmedCount', 'capacity', 'status'])
    .where('communityId', '=', communityId);
  q = activityIds ? q.where('id', 'in', activityIds) : q.where('endsAt', '>', new Date());
  const rows = await q.execute();
  const ids = rows.map((r) => r.id);
  const [waitlists, present] = await Promise.all([waitlistsOf(db, ids), presentCountsOf(db, ids)]);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        confirmed: r.confirmedCount,
        capacity: r.capacity,
        status: r.status,
        waitlist: waitlists.get(r.id) ?? [],
        present: present.get(r.id) ?? 0,
      },
    ]),
  );
}

export interface TeamsBoard {
  /** Republishes one shift after a commit; bursts on one shift rebuild it at most twice. */
  publish(communityId: string, activityId: string): Promise<void>;
}

/**
 * The sign-up board as a server-owned live document per community (`teams-board:<id>`),
 * readable by everyone who belongs there: map `shifts`, one entry per shift.
 */
export function registerTeamsBoard(app: App): TeamsBoard {
  app.live.registerDocument({
    pattern: 'teams-board:*',
    kind: 'server-owned',
    async access(user, docName) {
      const communityId = docName.slice('teams-board:'.length);
      const mine = await communitiesOfUser(app.db, user.id);
      return mine.some((c) => c.id === communityId) ? 'read' : 'none';
    },
    async seed(doc, docName) {
      const shifts = await boardShifts(app.db, docName.slice('teams-board:'.length));
      const map = doc.getMap<BoardShift>('shifts');
      for (const [id, shift] of shifts) map.set(id, shift);
    },
  });
  const coalescer = new Coalescer(
    async (key) => {
      const [communityId, activityId] = key.split('|') as [string, string];
      const shifts = await boardShifts(app.db, communityId, [activityId]);
      await app.live.change(teamsBoardDocName(communityId), (doc) => {
        const map = doc.getMap<BoardShift>('shifts');
        for (const [id, shift] of shifts) map.set(id, shift);
      });
    },
    (error) => app.log.warn({ err: error }, 'teams board not published'),
  );
  return {
    publish: (communityId, activityId) => coalescer.schedule(`${communityId}|${activityId}`),
  };
}
