import { problemsDoc } from '@tongxin/shared/live/documents';
import { listProblems } from '@tongxin/db/problems/problems.queries';
import type { App } from '../http/types.ts';
import { toSummary } from './views.ts';

/** How many reports the live list carries; older ones are a request away. */
const LIVE_LIST = 50;

export interface ProblemsLive {
  publish(communityId: string): Promise<void>;
}

/**
 * A community's 随手拍 list as a server-owned live document (`problems:<communityId>`, map
 * `list`, key `data`): projected from the database on load and after each commit, public to
 * everyone signed in and without reporters' names (公示).
 */
export function registerProblemsLive(app: App): ProblemsLive {
  const list = app.live.registerProjection({
    prefix: problemsDoc.prefix,
    access: (user) => (user.kind === 'guest' ? 'none' : 'read'),
    project: async (communityId) => {
      const rows = await listProblems(app.db, communityId, { limit: LIVE_LIST });
      const now = app.now();
      return { list: { data: rows.map((r) => toSummary(r, now)) } };
    },
  });
  const live: ProblemsLive = { publish: (id) => list.publish(id) };
  app.decorate('problemsLive', live);
  return live;
}

declare module 'fastify' {
  interface FastifyInstance {
    problemsLive: ProblemsLive;
  }
}
