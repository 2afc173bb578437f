import { EmptyBody } from '@tongxin/shared';
import { Type } from 'typebox';
import {
  RaiseTopicBody,
  ReorderAgendaBody,
  ScreenTopicBody,
  TopicView,
} from '@tongxin/shared/roundtable/roundtable.schemas';
import { findTopic, lockRoundtable, writeAudit } from '@tongxin/db';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requestLocale } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { authorise, loadActor, loadTopicActor } from './load.ts';
import type { RoundtableLive } from './live.ts';
import { attachOwnPhotos } from './photos.ts';
import { loadRoundtableView } from './views.ts';
import { IdParams } from '../http/params.ts';

const tags = ['roundtables'];
const Ok = Type.Object({ ok: Type.Literal(true) });

export async function topicRoutes(app: App, live: RoundtableLive) {
  app.post(
    '/roundtables/:id/topics',
    {
      schema: {
        tags,
        params: IdParams,
        body: RaiseTopicBody,
        response: { 201: Type.Object({ id: Type.String() }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = await loadActor(app.db, request, request.params.id);
      authorise(actor, 'raise_topic');
      const body = request.body;
      const id = await app.db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('topics')
          .values({
            roundtableId: actor.roundtable.id,
            raisedBy: actor.user.id,
            title: body.title.trim(),
            description: body.description?.trim() ?? '',
            category: body.category,
            location: body.location?.trim() || null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await attachOwnPhotos(tx, request, actor.user.id, body.photoIds, { topicId: row.id });
        await writeAudit(tx, {
          actorId: actor.user.id,
          action: 'topic.raise',
          targetType: 'topic',
          targetId: row.id,
          details: { roundtableId: actor.roundtable.id, photoIds: body.photoIds ?? [] },
        });
        return row.id;
      });
      // The room shows raised topics live: the other residents and the chair's console.
      await live.publish(actor.roundtable.id);
      return reply.status(201).send({ id });
    },
  );

  app.post(
    '/topics/:id/cosign',
    {
      schema: {
        tags,
        params: IdParams,
        body: EmptyBody,
        response: { 200: TopicView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { topic, actor } = await loadTopicActor(app.db, request, request.params.id);
      authorise(actor, 'cosign_topic');
      if (topic.raisedBy === actor.user.id) throw new AppError(409, 'own_topic');
      if (topic.status !== 'submitted' && topic.status !== 'accepted')
        throw new AppError(409, 'illegal_state');
      await app.db.transaction().execute(async (tx) => {
        // The primary key (topic, person) is the once-each rule; the count moves with it.
        const inserted = await tx
          .insertInto('topicCosigns')
          .values({ topicId: topic.id, userId: actor.user.id })
          .onConflict((oc) => oc.doNothing())
          .returning('topicId')
          .executeTakeFirst();
        if (!inserted) throw new AppError(409, 'already_cosigned');
        await tx
          .updateTable('topics')
          .set((eb) => ({ cosignCount: eb('cosignCount', '+', 1) }))
          .where('id', '=', topic.id)
          .execute();
        await writeAudit(tx, {
          actorId: actor.user.id,
          action: 'topic.cosign',
          targetType: 'topic',
          targetId: topic.id,
        });
      });
      await live.publish(actor.roundtable.id);
      const view = await loadRoundtableView(app.db, actor.roundtable, actor.user, actor.part);
      return view.topics.find((t) => t.id === topic.id)!;
    },
  );

  app.post(
    '/topics/:id/screen',
    {
      schema: {
        tags,
        params: IdParams,
        body: ScreenTopicBody,
        response: { 200: Ok, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { topic, actor } = await loadTopicActor(app.db, request, request.params.id);
      authorise(actor, 'screen_topic');
      const body = request.body;
      const en = requestLocale(request) === 'en';
      if (body.decision === 'decline' && !body.reason?.trim()) {
        throw new AppError(
          400,
          'validation_failed',
          en ? 'Give the raiser a reason for declining.' : '请写明不予受理的理由，提出人会看到。',
          'reason',
        );
      }
      if (body.decision === 'merge' && !body.mergeIntoId) {
        throw new AppError(
          400,
          'validation_failed',
          en ? 'Choose the topic to merge into.' : '请选择要合并到的议题。',
          'mergeIntoId',
        );
      }
      await app.db.transaction().execute(async (tx) => {
        await lockRoundtable(tx, actor.roundtable.id);
        const current = await findTopic(tx, topic.id);
        if (current?.status !== 'submitted') {
          throw new AppError(
            409,
            'illegal_state',
            en ? 'This topic has already been screened.' : '这个议题已经审议过了。',
          );
        }
        const screened = { screenedBy: actor.user.id, screenedAt: new Date() };
        if (body.decision === 'accept') {
          const last = await tx
            .selectFrom('topics')
            .select((eb) => eb.fn.max('agendaPosition').as('max'))
            .where('roundtableId', '=', actor.roundtable.id)
            .executeTakeFirstOrThrow();
          await tx
            .updateTable('topics')
            .set({ ...screened, status: 'accepted', agendaPosition: (last.max ?? 0) + 1 })
            .where('id', '=', topic.id)
            .execute();
        } else if (body.decision === 'merge') {
          const target = await findTopic(tx, body.mergeIntoId!);
          const usable =
            target &&
            target.id !== topic.id &&
            target.roundtableId === topic.roundtableId &&
            (target.status === 'submitted' || target.status === 'accepted');
          if (!usable)
            throw new AppError(
              409,
              'illegal_state',
              en
                ? 'Merge into an open topic of the same roundtable.'
                : '只能合并到本次会议中尚未处理完的议题。',
              'mergeIntoId',
            );
          await tx
            .updateTable('topics')
            .set({ ...screened, status: 'merged', mergedInto: target.id })
            .where('id', '=', topic.id)
            .execute();
        } else {
          await tx
            .updateTable('topics')
            .set({ ...screened, status: 'declined', declineReason: body.reason!.trim() })
            .where('id', '=', topic.id)
            .execute();
        }
        if (topic.raisedBy !== actor.user.id)
          await app.notifications.send(
            tx,
            [topic.raisedBy],
            'topic_screened',
            { title: topic.title, decision: body.decision, reason: body.reason?.trim() ?? '' },
            `/roundtables/${actor.roundtable.id}`,
          );
        await writeAudit(tx, {
          actorId: actor.user.id,
          action: `topic.${body.decision}`,
          targetType: 'topic',
          targetId: topic.id,
          details: { ...body },
        });
      });
      void app.notifications.refresh([topic.raisedBy]);
      await live.publish(actor.roundtable.id);
      return { ok: true as const };
    },
  );

  app.post(
    '/roundtables/:id/agenda',
    {
      schema: {
        tags,
        params: IdParams,
        body: ReorderAgendaBody,
        response: { 200: Ok, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = await loadActor(app.db, request, request.params.id);
      authorise(actor, 'screen_topic');
      const wanted = request.body.topicIds;
      await app.db.transaction().execute(async (tx) => {
        await lockRoundtable(tx, actor.roundtable.id);
        const accepted = await tx
          .selectFrom('topics')
          .select('id')
          .where('roundtableId', '=', actor.roundtable.id)
          .where('status', '=', 'accepted')
          .execute();
        const same =
          accepted.length === wanted.length && accepted.every((t) => wanted.includes(t.id));
        if (!same) {
          const en = requestLocale(request) === 'en';
          throw new AppError(
            409,
            'stage_changed',
            en
              ? 'The agenda changed meanwhile; list every agenda topic once.'
              : '议程已有变化，请刷新后再排序。',
            'topicIds',
          );
        }
        for (const [index, id] of wanted.entries()) {
          await tx
            .updateTable('topics')
            .set({ agendaPosition: index + 1 })
            .where('id', '=', id)
            .execute();
        }
        await writeAudit(tx, {
          actorId: actor.user.id,
          action: 'roundtable.reorder_agenda',
          targetType: 'roundtable',
          targetId: actor.roundtable.id,
          details: { topicIds: wanted },
        });
      });
      await live.publish(actor.roundtable.id);
      return { ok: true as const };
    },
  );
}
