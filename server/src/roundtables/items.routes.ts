import {
  RATINGS_TO_DECIDE,
  canMoveItem,
  reviewOutcome,
  tallyRatings,
} from '@tongxin/shared/roundtable/action-items';
import {
  ActionItemBody,
  Created,
  ItemUpdateBody,
  Ok,
  OwnerChoices,
  RatingBody,
} from '@tongxin/shared/roundtable/meeting.schemas';
import { ownersOfItem, ownsActionItem, writeAudit, type DbOrTx } from '@tongxin/db';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { say } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import type { RoundtableLive } from './live.ts';
import { loadActor, loadItemActor, loadTopicActor, runCommand } from './load.ts';
import { attachOwnPhotos } from './photos.ts';
import { IdParams } from '../http/params.ts';

const tags = ['roundtables'];
const refusals = errors(400, 401, 403, 404, 409);
const link = (roundtableId: string) => `/roundtables/${roundtableId}`;

/** The community a roundtable's place belongs to (a compound's parent). */
async function communityOf(db: DbOrTx, placeId: string): Promise<string> {
  const place = await db
    .selectFrom('places')
    .select(['id', 'kind', 'parentId'])
    .where('id', '=', placeId)
    .executeTakeFirstOrThrow();
  return place.kind === 'compound' && place.parentId ? place.parentId : place.id;
}

/** Who can answer for an item: invited or reported units, the community's teams, its people. */
async function ownerChoices(
  db: DbOrTx,
  roundtable: { id: string; placeId: string },
): Promise<OwnerChoices> {
  const communityId = await communityOf(db, roundtable.placeId);
  const units = await db
    .selectFrom('units as u')
    .select(['u.id', 'u.name'])
    .where((eb) =>
      eb.or([
        eb(
          'u.id',
          'in',
          eb
            .selectFrom('roundtableUnits')
            .select('unitId')
            .where('roundtableId', '=', roundtable.id),
        ),
        eb(
          'u.id',
          'in',
          eb.selectFrom('unitReports').select('unitId').where('communityId', '=', communityId),
        ),
      ]),
    )
    .orderBy('u.name')
    .execute();
  const teams = await db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('communityId', '=', communityId)
    .orderBy('name')
    .execute();
  const people = await db
    .selectFrom('users as u')
    .select(['u.id', 'u.displayName as name'])
    .where('u.id', 'in', (eb) =>
      eb
        .selectFrom('roleAssignments as r')
        .innerJoin('places as p', 'p.id', 'r.placeId')
        .select('r.userId')
        .where((w) => w.or([w('p.id', '=', communityId), w('p.parentId', '=', communityId)])),
    )
    .orderBy('u.displayName')
    .limit(300)
    .execute();
  return { units, teams, people };
}

/** 办事 and 评事: action items, their progress and their ratings. */
export async function itemRoutes(app: App, live: RoundtableLive) {
  app.get(
    '/roundtables/:id/owners',
    {
      schema: {
        tags,
        params: IdParams,
        response: { 200: OwnerChoices, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = await loadActor(app.db, request, request.params.id);
      if (actor.part !== 'chair') throw new AppError(403, 'forbidden');
      return ownerChoices(app.db, actor.roundtable);
    },
  );

  app.post(
    '/topics/:id/action-items',
    {
      schema: {
        tags,
        params: IdParams,
        body: ActionItemBody,
        response: { 201: Created, ...refusals },
      },
    },
    async (request, reply) => {
      const { topic, actor } = await loadTopicActor(app.db, request, request.params.id);
      const body = request.body;
      let owners: string[] = [];
      const id = await runCommand(
        app,
        live,
        request,
        actor,
        'assign_action_item',
        async (tx, locked) => {
          const resolution = await tx
            .selectFrom('resolutions')
            .select('id')
            .where('topicId', '=', topic.id)
            .executeTakeFirst();
          if (!resolution)
            throw new AppError(
              409,
              'illegal_state',
              say(
                request,
                '请先为这个议题记录议定事项，再分派办理。',
                'Record the resolution of this topic first.',
              ),
            );
          const choices = await ownerChoices(tx, locked);
          const pool =
            body.ownerKind === 'unit'
              ? choices.units
              : body.ownerKind === 'team'
                ? choices.teams
                : choices.people;
          if (!pool.some((o) => o.id === body.ownerId))
            throw new AppError(
              400,
              'validation_failed',
              say(
                request,
                '责任方须是受邀或已报到的单位、本社区的服务队或本社区的居民。',
                'The owner must be an invited or reported unit, a team or a person of this community.',
              ),
              'ownerId',
            );
          const row = await tx
            .insertInto('actionItems')
            .values({
              roundtableId: locked.id,
              resolutionId: resolution.id,
              title: body.title.trim(),
              ownerKind: body.ownerKind,
              ownerUnitId: body.ownerKind === 'unit' ? body.ownerId : null,
              ownerTeamId: body.ownerKind === 'team' ? body.ownerId : null,
              ownerUserId: body.ownerKind === 'person' ? body.ownerId : null,
              deadline: body.deadline,
              createdBy: actor.user.id,
            })
            .returning(['id', 'ownerUnitId', 'ownerTeamId', 'ownerUserId'])
            .executeTakeFirstOrThrow();
          owners = await ownersOfItem(tx, row);
          await app.notifications.send(
            tx,
            owners,
            'action_item_assigned',
            { title: body.title, roundtable: locked.title },
            link(locked.id),
          );
          await writeAudit(tx, {
            actorId: actor.user.id,
            action: 'item.assign',
            targetType: 'action_item',
            targetId: row.id,
            details: { ...body },
          });
          return row.id;
        },
      );
      void app.notifications.refresh(owners);
      return reply.status(201).send({ id });
    },
  );

  app.post(
    '/action-items/:id/updates',
    {
      schema: {
        tags,
        params: IdParams,
        body: ItemUpdateBody,
        response: { 201: Created, ...refusals },
      },
    },
    async (request, reply) => {
      const { item, actor } = await loadItemActor(app.db, request, request.params.id);
      const body = request.body;
      if (actor.part !== 'chair' && !(await ownsActionItem(app.db, item, actor.user.id)))
        throw new AppError(403, 'not_owner');
      if (body.status === 'blocked' && !body.blockedReason)
        throw new AppError(
          400,
          'validation_failed',
          say(
            request,
            '请写明受阻的原因，居民会看到。',
            'Say why it is blocked; residents will read it.',
          ),
          'blockedReason',
        );
      let raters: string[] = [];
      const id = await runCommand(
        app,
        live,
        request,
        actor,
        'post_progress',
        async (tx, locked) => {
          const current = (await tx
            .selectFrom('actionItems')
            .selectAll()
            .where('id', '=', item.id)
            .forUpdate()
            .executeTakeFirst())!;
          const moving = body.status !== undefined && body.status !== current.status;
          if (moving && !canMoveItem(current.status, body.status!))
            throw new AppError(
              409,
              'illegal_state',
              say(
                request,
                '这一步状态变化不允许。',
                'The item cannot move to that status from here.',
              ),
              'status',
            );
          const row = await tx
            .insertInto('actionUpdates')
            .values({
              itemId: item.id,
              authorId: actor.user.id,
              note: body.note.trim(),
              status: moving ? body.status! : null,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await attachOwnPhotos(tx, request, actor.user.id, body.photoIds, {
            actionUpdateId: row.id,
          });
          if (moving) {
            await tx
              .updateTable('actionItems')
              .set({
                status: body.status!,
                blockedReason: body.status === 'blocked' ? body.blockedReason! : null,
                updatedAt: new Date(),
              })
              .where('id', '=', item.id)
              .execute();
          }
          if (moving && body.status === 'done') {
            // 评事: everyone who took part is asked for a rating.
            const present = await tx
              .selectFrom('attendance')
              .select('userId')
              .where('roundtableId', '=', locked.id)
              .where('userId', 'is not', null)
              .execute();
            raters = present.map((p) => p.userId!).filter((u) => u !== actor.user.id);
            await app.notifications.send(
              tx,
              raters,
              'rating_asked',
              { title: current.title },
              link(locked.id),
            );
          }
          await writeAudit(tx, {
            actorId: actor.user.id,
            action: 'item.update',
            targetType: 'action_item',
            targetId: item.id,
            details: { ...body },
          });
          return row.id;
        },
      );
      void app.notifications.refresh(raters);
      return reply.status(201).send({ id });
    },
  );

  app.post(
    '/action-items/:id/ratings',
    { schema: { tags, params: IdParams, body: RatingBody, response: { 201: Ok, ...refusals } } },
    async (request, reply) => {
      const { item, actor } = await loadItemActor(app.db, request, request.params.id);
      let owners: string[] = [];
      await runCommand(app, live, request, actor, 'rate_item', async (tx, locked) => {
        const current = (await tx
          .selectFrom('actionItems')
          .selectAll()
          .where('id', '=', item.id)
          .forUpdate()
          .executeTakeFirst())!;
        if (current.status !== 'done')
          throw new AppError(
            409,
            'illegal_state',
            say(request, '这项工作还没有办完，办完后才能评价。', 'Rate an item once it is done.'),
          );
        const rated = await tx
          .insertInto('ratings')
          .values({
            itemId: item.id,
            round: current.round,
            userId: actor.user.id,
            rating: request.body.rating,
            comment: request.body.comment?.trim() ?? '',
          })
          .onConflict((oc) => oc.columns(['itemId', 'round', 'userId']).doNothing())
          .returning('userId')
          .executeTakeFirst();
        if (!rated) throw new AppError(409, 'already_rated');
        const ratings = await tx
          .selectFrom('ratings')
          .select('rating')
          .where('itemId', '=', item.id)
          .where('round', '=', current.round)
          .execute();
        const outcome = reviewOutcome(
          tallyRatings(ratings.map((r) => r.rating)),
          Number(locked.dissatisfiedThreshold),
          RATINGS_TO_DECIDE,
        );
        if (outcome === 'reopen') {
          // 不满意 leads: back to 办事, and the next round is rated afresh.
          await tx
            .updateTable('actionItems')
            .set({ status: 'in_progress', round: current.round + 1, updatedAt: new Date() })
            .where('id', '=', item.id)
            .execute();
          owners = await ownersOfItem(tx, current);
          await app.notifications.send(
            tx,
            owners,
            'action_item_reopened',
            { title: current.title },
            link(locked.id),
          );
          await writeAudit(tx, {
            actorId: actor.user.id,
            action: 'item.reopen',
            targetType: 'action_item',
            targetId: item.id,
            details: { round: current.round },
          });
        }
        await writeAudit(tx, {
          actorId: actor.user.id,
          action: 'item.rate',
          targetType: 'action_item',
          targetId: item.id,
          details: { ...request.body },
        });
      });
      void app.notifications.refresh(owners);
      return reply.status(201).send({ ok: true as const });
    },
  );
}
