import { teamsBoardDoc } from '@tongxin/shared/live/documents';
import type { BoardActivity } from '@tongxin/shared/teams/teams.schemas';
import type { DbOrTx } from '@tongxin/db/create-db';
import { communitiesOfUser } from '@tongxin/db/double-report/claims.queries';
import { presentCountsOf, waitlistsOf } from '@tongxin/db/teams/teams.queries';
import { openActivityCounts } from '@tongxin/db/teams/activities.queries';
import type { App } from '../http/types.ts';

/** Place counts and waiting lists of a community's activities that have not ended yet. */
async function boardActivities(
  db: DbOrTx,
  communityId: string,
): Promise<Map<string, BoardActivity>> {
  const rows = await openActivityCounts(db, communityId, new Date());
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
  /**
   * Call after a commit that changed an activity: the community's board is projected again
   * (bursts coalesced).
   */
  publish(communityId: string): Promise<void>;
}

/**
 * The sign-up board as a server-owned live document per community (`teams-board:<id>`),
 * readable by everyone who belongs there: map `activities`, one entry per activity that has not
 * ended. A projection of the database, rebuilt on load and after each commit. Commands reach
 * it as `app.teamsBoard`.
 */
export function registerTeamsBoard(app: App): TeamsBoard {
  const board = app.live.registerProjection({
    prefix: teamsBoardDoc.prefix,
    async access(user, communityId) {
      const mine = await communitiesOfUser(app.db, user.id);
      return mine.some((c) => c.id === communityId) ? 'read' : 'none';
    },
    project: async (communityId) => ({
      activities: Object.fromEntries(await boardActivities(app.db, communityId)),
    }),
  });
  const teamsBoard: TeamsBoard = { publish: (communityId) => board.publish(communityId) };
  app.decorate('teamsBoard', teamsBoard);
  return teamsBoard;
}

declare module 'fastify' {
  interface FastifyInstance {
    teamsBoard: TeamsBoard;
  }
}
