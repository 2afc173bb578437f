import {
  AttendBody,
  Created,
  CurrentTopicBody,
  FloorBody,
  HandBody,
  MarkPresentBody,
  MyRoomView,
  Ok,
  ProposalBody,
  SettingsBody,
} from '@tongxin/shared/roundtable/meeting.schemas';
import { findAttendance, findTopic, lowerHand, writeAudit } from '@tongxin/db';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { say } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { minutesWritableBy, type RoundtableLive } from './live.ts';
import { loadActor, loadTopicActor, runCommand } from './load.ts';
import { IdParams } from '../http/params.ts';

const tags = ['roundtables'];
const refusals = errors(400, 401, 403, 404, 409);

/** 议事, the live part: who is present, the topic, the floor, the settings, proposals. */
export async function meetingRoutes(app: App, live: RoundtableLive) {
  app.get(
    '/roundtables/:id/me',
    { schema: { tags, params: IdParams, response: { 200: MyRoomView, ...errors(400, 401, 404) } } },
    async (request) => {
      const actor = await loadActor(app.db, request, request.params.id);
      const id = actor.roundtable.id;
      const userId = actor.user.id;
      const [present, hand, ballots, owned, ratings] = await Promise.all([
        findAttendance(app.db, id, userId),
        app.db
          .selectFrom('speakingTurns')
          .select('id')
          .where('roundtableId', '=', id)
          .where('userId', '=', userId)
          .where('status', '=', 'waiting')
          .executeTakeFirst(),
        // Keyed by vote: a ballot in the first vote says nothing about the second.
        app.db
          .selectFrom('ballots as b')
          .innerJoin('votes as v', 'v.id', 'b.voteId')
          .select(['b.voteId', 'b.choice', 'b.proposalId'])
          .where('v.roundtableId', '=', id)
          .where('b.userId', '=', userId)
          .execute(),
        ownedItemIds(app, id, userId),
        app.db
          .selectFrom('ratings as g')
          .innerJoin('actionItems as a', (j) =>
            j.onRef('a.id', '=', 'g.itemId').onRef('a.round', '=', 'g.round'),
          )
          .select(['g.itemId', 'g.rating'])
          .where('a.roundtableId', '=', id)
          .where('g.userId', '=', userId)
          .execute(),
      ]);
      return {
        part: actor.part,
        present: present !== undefined,
        handRaised: hand !== undefined,
        myBallots: Object.fromEntries(ballots.map((b) => [b.voteId, (b.choice ?? b.proposalId)!])),
        ownedItemIds: owned,
        myRatings: Object.fromEntries(ratings.map((r) => [r.itemId, r.rating])),
        checkinCode: actor.part === 'chair' ? actor.roundtable.checkinCode : null,
        canEditMinutes: minutesWritableBy(actor.roundtable, actor.part, present !== undefined),
      };
    },
  );

  app.post(
    '/roundtables/:id/settings',
    { schema: { tags, params: IdParams, body: SettingsBody, response: { 200: Ok, ...refusals } } },
    async (request) => {
      const actor = await loadActor(app.db, request, request.params.id);
      const body = request.body;
      await runCommand(app, live, request, actor, 'configure', async (tx, locked) => {
        await tx
          .updateTable('roundtables')
          .set({
            ...(body.timerSeconds !== undefined ? { timerSeconds: body.timerSeconds } : {}),
            ...(body.openMinutes !== undefined ? { openMinutes: body.openMinutes } : {}),
            ...(body.hiddenTally !== undefined ? { hiddenTally: body.hiddenTally } : {}),
          })
          .where('id', '=', locked.id)
          .execute();
        await writeAudit(tx, {
          actorId: actor.user.id,
          action: 'roundtable.configure',
          targetType: 'roundtable',
          targetId: locked.id,
          details: { ...body },
        });
      });
      if (body.openMinutes !== undefined) await live.recheckMinutes(actor.roundtable.id);
      return { ok: true as const };
    },
  );

  app.post(
    '/roundtables/:id/attend',
    { schema: { tags, params: IdParams, body: AttendBody, response: { 200: Ok, ...refusals } } },
    async (request) => {
      const actor = await loadActor(app.db, request, request.params.id);
      const { code } = request.body;
      if (code !== undefined && code !== actor.roundtable.checkinCode)
        throw new AppError(
          400,
          'validation_failed',
          say(
            request,
            '签到码不对：请扫描会场大屏上的二维码。',
            'Wrong code: scan the QR code on the projector.',
          ),
          'code',
        );
      const how = code ? ('qr' as const) : ('app' as const);
      const part = actor.part === 'observer' ? 'participant' : actor.part;
      await runCommand(app, live, request, actor, 'attend', async (tx, locked) => {
        // Present once; scanning the room's code later upgrades a phone check-in to in person.
        await tx
          .insertInto('attendance')
          .values({
            roundtableId: locked.id,
            userId: actor.user.id,
            name: actor.user.displayName,
            part,
            how,
          })
          .onConflict((oc) =>
            oc
              .columns(['roundtableId', 'userId'])
              .where('userId', 'is not', null)
              .doUpdateSet(
                how === 'qr' ? { how: 'qr' } : { how: (eb) => eb.ref('attendance.how') },
              ),
          )
          .execute();
      });
      return { ok: true as const };
    },
  );

  app.post(
    '/roundtables/:id/present',
    {
      schema: {
        tags,
        params: IdParams,
        body: MarkPresentBody,
        response: { 201: Created, ...refusals },
      },
    },
    async (request, reply) => {
      const actor = await loadActor(app.db, request, request.params.id);
      const id = await runCommand(app, live, request, actor, 'mark_present', async (tx, locked) => {
        const row = await tx
          .insertInto('attendance')
          .values({
            roundtableId: locked.id,
            userId: null,
            name: request.body.name.trim(),
            part: 'participant',
            how: 'hand',
            markedBy: actor.user.id,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await writeAudit(tx, {
          actorId: actor.user.id,
          action: 'roundtable.mark_present',
          targetType: 'roundtable',
          targetId: locked.id,
          details: { name: request.body.name },
        });
        return row.id;
      });
      return reply.status(201).send({ id });
    },
  );

  app.post(
    '/roundtables/:id/current-topic',
    {
      schema: {
        tags,
        params: IdParams,
        body: CurrentTopicBody,
        response: { 200: Ok, ...refusals },
      },
    },
    async (request) => {
      const actor = await loadActor(app.db, request, request.params.id);
      const { topicId } = request.body;
      await runCommand(app, live, request, actor, 'set_current_topic', async (tx, locked) => {
        if (topicId) {
          const topic = await findTopic(tx, topicId);
          if (topic?.roundtableId !== locked.id || topic.status !== 'accepted')
            throw new AppError(
              409,
              'illegal_state',
              say(request, '只能选择本次会议议程上的议题。', 'Choose a topic on this agenda.'),
              'topicId',
            );
        }
        const open = await tx
          .selectFrom('votes')
          .select('id')
          .where('roundtableId', '=', locked.id)
          .where('status', '=', 'open')
          .executeTakeFirst();
        if (open)
          throw new AppError(
            409,
            'illegal_state',
            say(
              request,
              '表决还没有结束，请先结束表决再换议题。',
              'Close the open vote before moving to another topic.',
            ),
          );
        await tx
          .updateTable('roundtables')
          .set({ currentTopicId: topicId })
          .where('id', '=', locked.id)
          .execute();
      });
      return { ok: true as const };
    },
  );

  app.post(
    '/roundtables/:id/hand',
    { schema: { tags, params: IdParams, body: HandBody, response: { 200: Ok, ...refusals } } },
    async (request) => {
      const actor = await loadActor(app.db, request, request.params.id);
      await runCommand(app, live, request, actor, 'raise_hand', async (tx, locked) => {
        if (request.body.raised) {
          // Raising twice keeps one place in the queue (the partial unique index).
          await tx
            .insertInto('speakingTurns')
            .values({ roundtableId: locked.id, userId: actor.user.id })
            .onConflict((oc) =>
              oc
                .columns(['roundtableId', 'userId'])
                .where('status', 'in', ['waiting', 'speaking'])
                .doNothing(),
            )
            .execute();
        } else {
          await lowerHand(tx, locked.id, actor.user.id);
        }
      });
      return { ok: true as const };
    },
  );

  app.post(
    '/roundtables/:id/floor',
    { schema: { tags, params: IdParams, body: FloorBody, response: { 200: Ok, ...refusals } } },
    async (request) => {
      const actor = await loadActor(app.db, request, request.params.id);
      const { userId } = request.body;
      await runCommand(app, live, request, actor, 'give_floor', async (tx, locked) => {
        const now = new Date();
        await tx
          .updateTable('speakingTurns')
          .set({ status: 'done', endedAt: now })
          .where('roundtableId', '=', locked.id)
          .where('status', '=', 'speaking')
          .execute();
        if (!userId) return;
        const waiting = await tx
          .updateTable('speakingTurns')
          .set({ status: 'speaking', startedAt: now })
          .where('roundtableId', '=', locked.id)
          .where('userId', '=', userId)
          .where('status', '=', 'waiting')
          .returning('id')
          .executeTakeFirst();
        if (waiting) return;
        const present = await findAttendance(tx, locked.id, userId);
        if (!present)
          throw new AppError(
            409,
            'illegal_state',
            say(request, '这位居民不在会场，不能给他发言权。', 'That person is not present.'),
            'userId',
          );
        await tx
          .insertInto('speakingTurns')
          .values({ roundtableId: locked.id, userId, status: 'speaking', startedAt: now })
          .execute();
      });
      return { ok: true as const };
    },
  );

  app.post(
    '/topics/:id/proposals',
    {
      schema: {
        tags,
        params: IdParams,
        body: ProposalBody,
        response: { 201: Created, ...refusals },
      },
    },
    async (request, reply) => {
      const { topic, actor } = await loadTopicActor(app.db, request, request.params.id);
      const id = await runCommand(app, live, request, actor, 'propose_solution', async (tx) => {
        if (topic.status !== 'accepted')
          throw new AppError(
            409,
            'illegal_state',
            say(
              request,
              '只能为议程上的议题提出方案。',
              'Propose solutions to agenda topics only.',
            ),
          );
        const row = await tx
          .insertInto('proposals')
          .values({ topicId: topic.id, text: request.body.text.trim(), proposedBy: actor.user.id })
          .returning('id')
          .executeTakeFirstOrThrow();
        await writeAudit(tx, {
          actorId: actor.user.id,
          action: 'topic.propose',
          targetType: 'topic',
          targetId: topic.id,
          details: { proposalId: row.id },
        });
        return row.id;
      });
      return reply.status(201).send({ id });
    },
  );
}

/** Items this person answers for: as the person, a rep of the unit, a leader of the team. */
async function ownedItemIds(app: App, roundtableId: string, userId: string): Promise<string[]> {
  const rows = await app.db
    .selectFrom('actionItems as a')
    .select('a.id')
    .where('a.roundtableId', '=', roundtableId)
    .where((eb) =>
      eb.or([
        eb('a.ownerUserId', '=', userId),
        eb(
          'a.ownerUnitId',
          'in',
          eb
            .selectFrom('roleAssignments')
            .select('unitId')
            .where('userId', '=', userId)
            .where('role', '=', 'unit_rep'),
        ),
        eb(
          'a.ownerTeamId',
          'in',
          eb
            .selectFrom('teamMembers')
            .select('teamId')
            .where('userId', '=', userId)
            .where('role', '=', 'leader')
            .where('status', '=', 'active'),
        ),
      ]),
    )
    .execute();
  return rows.map((r) => r.id);
}
