import { MyRoundtableWork } from '@tongxin/shared/roundtables/floor.schemas';
import { itemsAnsweredBy, topicsRaisedBy } from '@tongxin/db/roundtables/views.queries';
import { errors } from '../http/error-responses.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { partsOf } from './part.ts';

/** 我的议题 / 我的办理事项: what I raised, and what I answer for, across roundtables. */
export async function mineRoutes(app: App) {
  app.get(
    '/me/roundtables',
    { schema: { tags: ['roundtables'], response: { 200: MyRoundtableWork, ...errors(401) } } },
    async (request) => {
      const user = requireUser(request);
      const [topics, items] = await Promise.all([
        topicsRaisedBy(app.db, user.id),
        itemsAnsweredBy(app.db, user.id),
      ]);
      const parts = await partsOf(
        app.db,
        user,
        topics.map((t) => ({ id: t.roundtableId, chairId: t.chairId })),
      );
      return {
        topics: topics.map(({ chairId: _chair, ...t }) => ({
          ...t,
          open:
            parts.get(t.roundtableId) !== 'observer'
              ? ('room' as const)
              : t.stage === 'closed'
                ? ('result' as const)
                : null,
        })),
        items,
      };
    },
  );
}
