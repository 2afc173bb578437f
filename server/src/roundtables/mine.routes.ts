import { MyRoundtableWork } from '@tongxin/shared/roundtable/meeting.schemas';
import { errors } from '../http/error-responses.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';

/** 我的议题 / 我的办理事项: what I raised, and what I answer for, across roundtables. */
export async function mineRoutes(app: App) {
  app.get(
    '/me/roundtables',
    { schema: { tags: ['roundtables'], response: { 200: MyRoundtableWork, ...errors(401) } } },
    async (request) => {
      const user = requireUser(request);
      const topics = await app.db
        .selectFrom('topics as t')
        .innerJoin('roundtables as r', 'r.id', 't.roundtableId')
        .select([
          't.id',
          't.title',
          't.status',
          't.declineReason',
          'r.id as roundtableId',
          'r.title as roundtableTitle',
          'r.stage',
        ])
        .where('t.raisedBy', '=', user.id)
        .orderBy('t.createdAt', 'desc')
        .limit(50)
        .execute();
      const items = await app.db
        .selectFrom('actionItems as a')
        .innerJoin('roundtables as r', 'r.id', 'a.roundtableId')
        .select([
          'a.id',
          'a.title',
          'a.status',
          'r.id as roundtableId',
          'r.title as roundtableTitle',
        ])
        .select((eb) =>
          eb.fn<string>('to_char', [eb.ref('a.deadline'), eb.val('YYYY-MM-DD')]).as('deadline'),
        )
        .where((eb) =>
          eb.or([
            eb('a.ownerUserId', '=', user.id),
            eb(
              'a.ownerUnitId',
              'in',
              eb
                .selectFrom('roleAssignments')
                .select('unitId')
                .where('userId', '=', user.id)
                .where('role', '=', 'unit_rep'),
            ),
            eb(
              'a.ownerTeamId',
              'in',
              eb
                .selectFrom('teamMembers')
                .select('teamId')
                .where('userId', '=', user.id)
                .where('role', '=', 'leader')
                .where('status', '=', 'active'),
            ),
          ]),
        )
        .orderBy('a.deadline')
        .limit(50)
        .execute();
      return { topics, items };
    },
  );
}
