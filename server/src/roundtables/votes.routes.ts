import { EmptyBody } from '@tongxin/shared';
import {
  BallotBody,
  Created,
  HandsBody,
  OpenVoteBody,
  Ok,
  ResolutionBody,
  VoteResult,
  type VoteKind,
} from '@tongxin/shared/roundtable/meeting.schemas';
import { tallyOf, voteOptions } from '@tongxin/shared/roundtable/votes';
import { ballotCounts, findVote, handCounts, writeAudit, type DbOrTx } from '@tongxin/db';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { say } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import type { RoundtableLive } from './live.ts';
import { authorise, loadActor, loadTopicActor, runCommand } from './load.ts';
import { IdParams } from '../http/params.ts';
import { openVote } from './votes.commands.ts';

const tags = ['roundtables'];
const refusals = errors(400, 401, 403, 404, 409);

/** A vote's option keys: the choice codes, or the ids of its topic's proposals. */
async function optionKeys(db: DbOrTx, vote: { kind: VoteKind; topicId: string }) {
  const proposals =
    vote.kind === 'yes_no'
      ? []
      : await db
          .selectFrom('proposals')
          .select(['id', 'text'])
          .where('topicId', '=', vote.topicId)
          .execute();
  return voteOptions(vote.kind, proposals).map((o) => o.key);
}

/** The tally straight from the rows: phones' ballots plus hands counted in the room. */
async function resultOf(db: DbOrTx, voteId: string, keys: string[]): Promise<VoteResult> {
  const [ballots, hands] = await Promise.all([ballotCounts(db, voteId), handCounts(db, voteId)]);
  const count = tallyOf(
    keys.map((key) => ({ key })),
    ballots,
    hands,
  );
  return { id: voteId, ...count };
}

async function loadVoteActor(app: App, request: Parameters<typeof loadActor>[1], voteId: string) {
  const vote = await findVote(app.db, voteId);
  if (!vote) throw new AppError(404, 'not_found');
  return { vote, actor: await loadActor(app.db, request, vote.roundtableId) };
}

/** Votes (表决) and resolutions (议定事项). */
export async function voteRoutes(app: App, live: RoundtableLive) {
  app.post(
    '/topics/:id/votes',
    {
      schema: {
        tags,
        params: IdParams,
        body: OpenVoteBody,
        response: { 201: Created, ...refusals },
      },
    },
    async (request, reply) => {
      const id = await openVote(app, request, { topicId: request.params.id, body: request.body });
      return reply.status(201).send({ id });
    },
  );

  app.post(
    '/votes/:id/ballots',
    { schema: { tags, params: IdParams, body: BallotBody, response: { 201: Ok, ...refusals } } },
    async (request, reply) => {
      const { vote, actor } = await loadVoteActor(app, request, request.params.id);
      authorise(actor, 'cast_vote');
      const body = request.body;
      const wrong = (zh: string, en: string, field: string) =>
        new AppError(400, 'validation_failed', say(request, zh, en), field);
      if (vote.kind === 'yes_no' && (!body.choice || body.proposalId))
        throw wrong('请选择赞成、反对或弃权。', 'Choose support, oppose or abstain.', 'choice');
      if (vote.kind === 'choice' && (!body.proposalId || body.choice))
        throw wrong('请选择一个方案。', 'Choose one of the proposals.', 'proposalId');
      // No roundtable lock here: ballots run in parallel. Each holds the vote row FOR SHARE,
      // and closing takes it FOR UPDATE, so a ballot either commits before the close counts
      // or meets a closed vote: what was answered 2xx is exactly what is counted.
      // Locks in the global order (docs/decisions/0007): the roundtable first, FOR KEY SHARE
      // (what the attendance row's foreign key takes anyway; it never waits for a command,
      // which holds the row FOR NO KEY UPDATE), then the vote.
      await app.db.transaction().execute(async (tx) => {
        await tx
          .selectFrom('roundtables')
          .select('id')
          .where('id', '=', vote.roundtableId)
          .forKeyShare()
          .executeTakeFirst();
        const current = await tx
          .selectFrom('votes')
          .select(['id', 'status'])
          .where('id', '=', vote.id)
          .where('status', '=', 'open')
          .forShare()
          .executeTakeFirst();
        if (!current) throw new AppError(409, 'vote_closed');
        if (body.proposalId) {
          const keys = await optionKeys(tx, vote);
          if (!keys.includes(body.proposalId))
            throw wrong(
              '这个方案不在本次表决中。',
              'That proposal is not on this vote.',
              'proposalId',
            );
        }
        const cast = await tx
          .insertInto('ballots')
          .values({
            voteId: vote.id,
            userId: actor.user.id,
            choice: body.choice ?? null,
            proposalId: body.proposalId ?? null,
          })
          .onConflict((oc) => oc.columns(['voteId', 'userId']).doNothing())
          .returning('userId')
          .executeTakeFirst();
        if (!cast) throw new AppError(409, 'already_voted');
        // Voting in the room is being present in it.
        await tx
          .insertInto('attendance')
          .values({
            roundtableId: vote.roundtableId,
            userId: actor.user.id,
            name: actor.user.displayName,
            part: actor.part === 'observer' ? 'participant' : actor.part,
            how: 'app',
          })
          .onConflict((oc) =>
            oc.columns(['roundtableId', 'userId']).where('userId', 'is not', null).doNothing(),
          )
          .execute();
      });
      void live.publish(vote.roundtableId);
      return reply.status(201).send({ ok: true as const });
    },
  );

  app.post(
    '/votes/:id/hands',
    {
      schema: {
        tags,
        params: IdParams,
        body: HandsBody,
        response: { 200: VoteResult, ...refusals },
      },
    },
    async (request) => {
      const { vote, actor } = await loadVoteActor(app, request, request.params.id);
      const { counts } = request.body;
      return runCommand(app, live, request, actor, 'record_show_of_hands', async (tx, locked) => {
        const current = await tx
          .selectFrom('votes')
          .select('status')
          .where('id', '=', vote.id)
          .forUpdate()
          .executeTakeFirstOrThrow();
        if (current.status !== 'open') throw new AppError(409, 'vote_closed');
        const keys = await optionKeys(tx, vote);
        const unknown = Object.keys(counts).find((k) => !keys.includes(k));
        if (unknown)
          throw new AppError(
            400,
            'validation_failed',
            say(
              request,
              '举手计数里有本次表决没有的选项。',
              'The counts name an option this vote does not have.',
            ),
            'counts',
          );
        // Hands come only from people marked present without a phone: nobody counts twice.
        const { n } = await tx
          .selectFrom('attendance')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('roundtableId', '=', locked.id)
          .where('how', '=', 'hand')
          .executeTakeFirstOrThrow();
        const total = Object.values(counts).reduce((a, b) => a + b, 0);
        if (total > Number(n))
          throw new AppError(
            409,
            'illegal_state',
            say(
              request,
              `举手人数（${total}）超过了登记到场但没有手机的人数（${n}）。`,
              `${total} hands, but only ${n} people without a phone are marked present.`,
            ),
            'counts',
          );
        await tx.deleteFrom('handCounts').where('voteId', '=', vote.id).execute();
        const rows = Object.entries(counts)
          .filter(([, c]) => c > 0)
          .map(([option, count]) => ({ voteId: vote.id, option, count }));
        if (rows.length > 0) await tx.insertInto('handCounts').values(rows).execute();
        await writeAudit(tx, {
          actorId: actor.user.id,
          action: 'vote.hands',
          targetType: 'vote',
          targetId: vote.id,
          details: counts,
        });
        return resultOf(tx, vote.id, keys);
      });
    },
  );

  app.post(
    '/votes/:id/close',
    {
      schema: {
        tags,
        params: IdParams,
        body: EmptyBody,
        response: { 200: VoteResult, ...refusals },
      },
    },
    async (request) => {
      const { vote, actor } = await loadVoteActor(app, request, request.params.id);
      return runCommand(app, live, request, actor, 'close_vote', async (tx) => {
        // FOR UPDATE waits for every ballot holding the row FOR SHARE; the count below is a
        // new statement, so it sees each of them, and no later ballot can commit.
        const current = await tx
          .selectFrom('votes')
          .select('status')
          .where('id', '=', vote.id)
          .forUpdate()
          .executeTakeFirstOrThrow();
        if (current.status !== 'open') throw new AppError(409, 'vote_closed');
        const result = await resultOf(tx, vote.id, await optionKeys(tx, vote));
        await tx
          .updateTable('votes')
          .set({ status: 'closed', closedAt: new Date(), counted: result.counted })
          .where('id', '=', vote.id)
          .execute();
        await writeAudit(tx, {
          actorId: actor.user.id,
          action: 'vote.close',
          targetType: 'vote',
          targetId: vote.id,
          details: result.tally,
        });
        return result;
      });
    },
  );

  app.get(
    '/votes/:id',
    {
      schema: {
        tags,
        params: IdParams,
        response: { 200: VoteResult, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { vote, actor } = await loadVoteActor(app, request, request.params.id);
      if (vote.status === 'open' && vote.hiddenTally && actor.part !== 'chair')
        throw new AppError(403, 'forbidden');
      return resultOf(app.db, vote.id, await optionKeys(app.db, vote));
    },
  );

  app.post(
    '/topics/:id/resolution',
    {
      schema: {
        tags,
        params: IdParams,
        body: ResolutionBody,
        response: { 201: Created, ...refusals },
      },
    },
    async (request, reply) => {
      const { topic, actor } = await loadTopicActor(app.db, request, request.params.id);
      const { text, voteId } = request.body;
      const id = await runCommand(app, live, request, actor, 'record_resolution', async (tx) => {
        if (topic.status !== 'accepted')
          throw new AppError(
            409,
            'illegal_state',
            say(request, '只能为议程上的议题形成议定事项。', 'Resolutions are for agenda topics.'),
          );
        if (voteId) {
          const vote = await findVote(tx, voteId);
          if (vote?.topicId !== topic.id || vote.status !== 'closed')
            throw new AppError(
              409,
              'illegal_state',
              say(request, '请引用本议题已经结束的表决。', 'Refer to a closed vote on this topic.'),
              'voteId',
            );
        }
        const row = await tx
          .insertInto('resolutions')
          .values({
            topicId: topic.id,
            text: text.trim(),
            voteId: voteId ?? null,
            recordedBy: actor.user.id,
          })
          .onConflict((oc) => oc.column('topicId').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!row)
          throw new AppError(
            409,
            'illegal_state',
            say(request, '这个议题已经有议定事项了。', 'This topic already has a resolution.'),
          );
        await tx
          .updateTable('topics')
          .set({ deferred: false })
          .where('id', '=', topic.id)
          .execute();
        await writeAudit(tx, {
          actorId: actor.user.id,
          action: 'topic.resolve',
          targetType: 'topic',
          targetId: topic.id,
          details: { text },
        });
        return row.id;
      });
      return reply.status(201).send({ id });
    },
  );

  app.post(
    '/topics/:id/defer',
    {
      schema: {
        tags,
        params: IdParams,
        body: EmptyBody,
        response: { 200: Ok, ...refusals },
      },
    },
    async (request) => {
      const { topic, actor } = await loadTopicActor(app.db, request, request.params.id);
      await runCommand(app, live, request, actor, 'defer_topic', async (tx) => {
        const resolved = await tx
          .selectFrom('resolutions')
          .select('id')
          .where('topicId', '=', topic.id)
          .executeTakeFirst();
        if (topic.status !== 'accepted' || resolved)
          throw new AppError(
            409,
            'illegal_state',
            say(
              request,
              '只有尚未议定的议程议题可以暂缓。',
              'Only unresolved agenda topics can be deferred.',
            ),
          );
        await tx.updateTable('topics').set({ deferred: true }).where('id', '=', topic.id).execute();
        await writeAudit(tx, {
          actorId: actor.user.id,
          action: 'topic.defer',
          targetType: 'topic',
          targetId: topic.id,
        });
      });
      return { ok: true as const };
    },
  );
}
