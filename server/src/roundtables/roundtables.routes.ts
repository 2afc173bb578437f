import { sql } from 'kysely';
import { Type } from 'typebox';
import { judgeAdvance, type RoundtableFacts } from '@tongxin/shared/roundtable/stages';
import {
  AdvanceStageBody,
  ConveneBody,
  RoundtableSummary,
  RoundtableView,
} from '@tongxin/shared/roundtable/roundtable.schemas';
import {
  findPlace,
  findRoundtable,
  holdsRoleOver,
  listRoundtables,
  lockRoundtable,
  peopleWithin,
  placesOfUser,
  stageFactsOf,
  writeAudit,
} from '@tongxin/db';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requestLocale, requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import type { RoundtableLive } from './live.ts';
import { authorise, loadActor } from './load.ts';
import { refusalError } from './refusals.ts';
import { partsOf } from './part.ts';
import { loadRoundtableView } from './views.ts';
import { IdParams } from '../http/params.ts';

const tags = ['roundtables'];

export async function roundtableRoutes(app: App, live: RoundtableLive) {
  app.post(
    '/roundtables',
    {
      schema: {
        tags,
        body: ConveneBody,
        response: { 201: RoundtableView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const body = request.body;
      const place = await findPlace(app.db, body.placeId);
      if (!place) throw new AppError(404, 'not_found', undefined, 'placeId');
      if (place.kind !== 'community' && place.kind !== 'compound') {
        const en = requestLocale(request) === 'en';
        throw new AppError(
          400,
          'validation_failed',
          en
            ? 'A roundtable belongs to a community or a compound.'
            : '圆桌会只能在社区或小区召开。',
          'placeId',
        );
      }
      if (!(await holdsRoleOver(app.db, user.id, ['secretary'], place.id)))
        throw new AppError(403, 'forbidden');
      const id = await app.db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('roundtables')
          .values({
            placeId: place.id,
            title: body.title.trim(),
            localName: body.localName.trim(),
            location: body.location.trim(),
            startsAt: new Date(body.startsAt),
            quorum: body.quorum ?? null,
            chairId: user.id,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        for (const unitId of body.invitedUnitIds ?? []) {
          await tx.insertInto('roundtableUnits').values({ roundtableId: row.id, unitId }).execute();
        }
        await writeAudit(tx, {
          actorId: user.id,
          action: 'roundtable.convene',
          targetType: 'roundtable',
          targetId: row.id,
          details: { placeId: place.id },
        });
        return row.id;
      });
      const row = (await findRoundtable(app.db, id))!;
      return reply.status(201).send(await loadRoundtableView(app.db, row, user, 'chair'));
    },
  );

  app.get(
    '/roundtables',
    { schema: { tags, response: { 200: Type.Array(RoundtableSummary), ...errors(401) } } },
    async (request) => {
      const user = requireUser(request);
      const near = await listRoundtables(app.db, await placesOfUser(app.db, user.id), user.id);
      // Listed only where the person takes part: the rest would answer 404 when opened.
      const parts = await partsOf(app.db, user, near);
      const rows = near.filter((r) => parts.get(r.id) !== 'observer');
      return rows.map((r) => ({
        id: r.id,
        title: r.title,
        localName: r.localName,
        startsAt: r.startsAt.toISOString(),
        stage: r.stage,
        place: { id: r.placeId, name: r.placeName },
      }));
    },
  );

  app.get(
    '/roundtables/:id',
    {
      schema: {
        tags,
        params: IdParams,
        response: { 200: RoundtableView, ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = await loadActor(app.db, request, request.params.id);
      return loadRoundtableView(app.db, actor.roundtable, actor.user, actor.part);
    },
  );

  app.post(
    '/roundtables/:id/advance',
    {
      schema: {
        tags,
        params: IdParams,
        body: AdvanceStageBody,
        response: { 200: RoundtableView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = await loadActor(app.db, request, request.params.id);
      authorise(actor, 'advance_stage');
      const locale = requestLocale(request);
      let told: string[] = [];
      await app.db.transaction().execute(async (tx) => {
        // The row lock makes parallel clicks queue; the `from` check makes the second a 409.
        const locked = await lockRoundtable(tx, actor.roundtable.id);
        if (!locked || locked.stage !== request.body.from) throw new AppError(409, 'stage_changed');
        const facts: RoundtableFacts = {
          stage: locked.stage,
          ...(await stageFactsOf(tx, locked.id)),
          minutesApproved: locked.minutesFrozenAt !== null,
        };
        const verdict = judgeAdvance(facts, actor.part);
        if (!verdict.ok) throw refusalError(verdict.refusal, locale);
        const now = new Date();
        await tx
          .updateTable('roundtables')
          .set({ stage: verdict.next, stageChangedAt: now })
          .where('id', '=', locked.id)
          .execute();
        if (locked.stage === 'discuss') {
          // The meeting part is over: nobody keeps the floor or a place in the queue.
          await tx
            .updateTable('speakingTurns')
            .set({
              status: 'done',
              startedAt: sql<Date>`coalesce(started_at, now())`,
              endedAt: now,
            })
            .where('roundtableId', '=', locked.id)
            .where('status', 'in', ['waiting', 'speaking'])
            .execute();
        }
        if (verdict.next === 'discuss') {
          told = (await peopleWithin(tx, locked.placeId)).filter((u) => u !== actor.user.id);
          await app.notifications.send(
            tx,
            told,
            'roundtable_live',
            { title: locked.title, localName: locked.localName },
            `/roundtables/${locked.id}`,
          );
        }
        await writeAudit(tx, {
          actorId: actor.user.id,
          action: 'roundtable.advance',
          targetType: 'roundtable',
          targetId: locked.id,
          details: { from: locked.stage, to: verdict.next },
        });
      });
      await live.publish(actor.roundtable.id);
      await live.recheckMinutes(actor.roundtable.id);
      void app.notifications.refresh(told);
      const row = (await findRoundtable(app.db, actor.roundtable.id))!;
      return loadRoundtableView(app.db, row, actor.user, actor.part);
    },
  );
}
