import {
  CompleteActivityBody,
  HandOnActivityBody,
  HandOnProjectBody,
  HandoffOrigin,
} from '@tongxin/shared/roundtables/handoff.schemas';
import { Created, Ok } from '@tongxin/shared/roundtables/floor.schemas';
import { findItemRow } from '@tongxin/db/double-report/claims.queries';
import { findActivityRow } from '@tongxin/db/teams/teams.queries';
import { originOfActivity, originOfClaimItem } from '@tongxin/db/roundtables/handoff.queries';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { IdParams } from '../http/params.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { loadTeamsRelation, mayManage, requireBelongs } from '../teams/access.ts';
import { completeActivity, handOnAsActivity, handOnAsProject } from './handoff.commands.ts';

const tags = ['roundtables'];
const refusals = errors(400, 401, 403, 404, 409);

type Origin = NonNullable<Awaited<ReturnType<typeof originOfClaimItem>>>;
const originView = (o: Origin | undefined) => (o ? { ...o, round: Number(o.round) } : null);

/** 办事 handed on: publish an item as a project or an activity, and the way back from them. */
export async function handoffRoutes(app: App) {
  app.post(
    '/action-items/:id/handoff/project',
    {
      schema: {
        tags,
        description:
          '发布为双报到项目: a unit’s action item goes on the community’s project list, linked both ways.',
        params: IdParams,
        body: HandOnProjectBody,
        response: { 201: Created, ...refusals },
      },
    },
    async (request, reply) => {
      const { id } = await handOnAsProject(app, request, {
        itemId: request.params.id,
        body: request.body,
      });
      return reply.status(201).send({ id });
    },
  );

  app.post(
    '/action-items/:id/handoff/activity',
    {
      schema: {
        tags,
        description: '发布为志愿活动: a team’s action item becomes that team’s activity.',
        params: IdParams,
        body: HandOnActivityBody,
        response: { 201: Created, ...refusals },
      },
    },
    async (request, reply) => {
      const { id } = await handOnAsActivity(app, request, {
        itemId: request.params.id,
        body: request.body,
      });
      return reply.status(201).send({ id });
    },
  );

  app.post(
    '/activities/:id/complete',
    {
      schema: {
        tags,
        description:
          'The team reports an activity handed on from a roundtable done; its action item is done.',
        params: IdParams,
        body: CompleteActivityBody,
        response: { 200: Ok, ...refusals },
      },
    },
    async (request) => {
      await completeActivity(app, request, {
        activityId: request.params.id,
        body: request.body,
      });
      return { ok: true as const };
    },
  );

  app.get(
    '/claim-items/:id/origin',
    {
      schema: {
        tags,
        description: '来自圆桌会议决议: the action item a project was published for, if any.',
        params: IdParams,
        response: { 200: HandoffOrigin, ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      requireUser(request);
      const item = await findItemRow(app.db, request.params.id);
      if (!item) throw new AppError(404, 'not_found');
      return {
        origin: originView(await originOfClaimItem(app.db, item.id)),
        completedAt: null,
        completionNote: null,
        canComplete: false,
      };
    },
  );

  app.get(
    '/activities/:id/origin',
    {
      schema: {
        tags,
        description:
          '来自圆桌会议决议: the action item an activity was published for, and its completion.',
        params: IdParams,
        response: { 200: HandoffOrigin, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const row = await findActivityRow(app.db, request.params.id);
      if (!row) throw new AppError(404, 'not_found');
      const rel = await loadTeamsRelation(app.db, requireUser(request), row.communityId);
      requireBelongs(request, rel);
      const origin = originView(await originOfActivity(app.db, row.id));
      return {
        origin,
        completedAt: row.completedAt?.toISOString() ?? null,
        completionNote: row.completionNote,
        canComplete:
          origin !== null &&
          row.status === 'scheduled' &&
          row.completedAt === null &&
          row.startsAt.getTime() <= Date.now() &&
          mayManage(rel, row.teamId),
      };
    },
  );
}
