import type {
  BallotBody,
  HandsBody,
  OpenVoteBody,
  ResolutionBody,
  VoteKind,
  VoteResult,
} from '@tongxin/shared/roundtables/floor.schemas';
import { quorumMet, tallyOf, voteOptions } from '@tongxin/shared/roundtables/votes';
import type { DbOrTx } from '@tongxin/db/create-db';
import { ballotCounts, findVote, handCounts } from '@tongxin/db/roundtables/room.queries';
import { findTopic } from '@tongxin/db/roundtables/roundtables.queries';
import { attendOnce } from '@tongxin/db/roundtables/floor.queries';
import {
  checkedInCount,
  deferTopic as markDeferred,
  handAttendeeCount,
  hasResolution,
  insertBallot,
  insertResolution,
  insertVote,
  lockVoteForBallot,
  lockVoteForCount,
  markVoteClosed,
  openVoteOf,
  replaceHandCounts,
  topicProposals,
} from '@tongxin/db/roundtables/votes.queries';
import { defineCommand } from '../http/command.ts';
import { AppError, refuse } from '../http/app-error.ts';
import type { App } from '../http/types.ts';
import { roundtableCommand, type RoundtableCtx } from './command.ts';
import { authorise, loadActor } from './load.ts';

type Vote = NonNullable<Awaited<ReturnType<typeof findVote>>>;

async function voteTarget(app: App, voteId: string) {
  const vote = await findVote(app.db, voteId);
  if (!vote) throw new AppError(404, 'not_found');
  return vote;
}

async function topicTarget(app: App, topicId: string) {
  const topic = await findTopic(app.db, topicId);
  if (!topic) throw new AppError(404, 'not_found');
  return topic;
}

/** A vote's option keys: the choice codes, or the ids of its topic's proposals. */
async function optionKeys(db: DbOrTx, vote: { kind: VoteKind; topicId: string }) {
  const proposals = vote.kind === 'yes_no' ? [] : await topicProposals(db, vote.topicId);
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

/** A vote's tally as it stands (the read behind GET /votes/:id). */
export async function voteResult(db: DbOrTx, vote: Vote): Promise<VoteResult> {
  return resultOf(db, vote.id, await optionKeys(db, vote));
}

/** The chair opens a vote (表决) on an agenda topic; the room follows it to the topic. */
export const openVote = roundtableCommand({
  action: 'open_vote',
  target: (app, _request, input: { topicId: string; body: OpenVoteBody }) =>
    topicTarget(app, input.topicId),
  async run(tx, { actor, target: topic }, locked, { body }) {
    if (topic.status !== 'accepted') throw refuse('topic_not_on_agenda');
    if (await openVoteOf(tx, locked.id)) throw refuse('vote_already_open');
    if (!body.belowQuorum) {
      // Judged on check-ins, under the lock, like every command.
      const present = await checkedInCount(tx, locked.id);
      if (!quorumMet(present, locked.quorum))
        throw refuse('below_quorum', { present, quorum: locked.quorum ?? 0 });
    }
    if (
      body.kind === 'choice' &&
      voteOptions('choice', await topicProposals(tx, topic.id)).length < 2
    )
      throw refuse('too_few_proposals', {}, 'kind');
    return insertVote(tx, {
      roundtableId: locked.id,
      topicId: topic.id,
      question: body.question.trim(),
      kind: body.kind,
      hiddenTally: body.hiddenTally ?? locked.hiddenTally,
      openedBy: actor.user.id,
    });
  },
  audit: {
    action: 'vote.open',
    entry: ({ actor, target: topic }, { body }, voteId) => ({
      actorId: actor.user.id,
      targetType: 'vote',
      targetId: voteId,
      details: { topicId: topic.id, kind: body.kind, belowQuorum: body.belowQuorum === true },
    }),
  },
});

/**
 * A phone's ballot, the hot path (a hall of 300 phones votes within a minute). Not a
 * roundtableCommand: ballots do not queue on the roundtable's lock but run side by side, each
 * holding the vote FOR SHARE while closing takes it FOR UPDATE, so a ballot either commits
 * before the close counts or meets a closed vote: what was answered 2xx is what is counted.
 */
export const castBallot = defineCommand<
  { voteId: string; body: BallotBody },
  RoundtableCtx<Vote>,
  void,
  void
>({
  async load(app, request, input) {
    const target = await voteTarget(app, input.voteId);
    return { app, target, actor: await loadActor(app.db, request, target.roundtableId) };
  },
  authorise({ actor, target: vote }, { body }) {
    authorise(actor, 'cast_vote');
    if (vote.kind === 'yes_no' && (!body.choice || body.proposalId))
      throw refuse('ballot_needs_choice', {}, 'choice');
    if (vote.kind === 'choice' && (!body.proposalId || body.choice))
      throw refuse('ballot_needs_proposal', {}, 'proposalId');
  },
  async lock(tx, { target: vote }) {
    if (!(await lockVoteForBallot(tx, vote.roundtableId, vote.id))) throw refuse('vote_closed');
  },
  async run(tx, { actor, target: vote }, _locked, { body }) {
    if (body.proposalId && !(await optionKeys(tx, vote)).includes(body.proposalId))
      throw refuse('proposal_not_in_vote', {}, 'proposalId');
    const cast = await insertBallot(tx, {
      voteId: vote.id,
      userId: actor.user.id,
      choice: body.choice ?? null,
      proposalId: body.proposalId ?? null,
    });
    if (!cast) throw refuse('already_voted');
    // Voting in the room is being present in it.
    await attendOnce(tx, {
      roundtableId: vote.roundtableId,
      userId: actor.user.id,
      name: actor.user.displayName,
      part: actor.part === 'observer' ? 'participant' : actor.part,
      how: 'app',
    });
  },
  audit: {
    exempt: 'a secret ballot: who voted how must not be logged; the ballots table holds the count',
  },
  effects(app, { target: vote }) {
    // Not awaited: a phone does not wait for the room's rebuild (bursts of ballots coalesce
    // into at most two); its own ballot is in its answer and in /me.
    app.roundtableLive
      .publish(vote.roundtableId)
      .catch((err: unknown) => app.log.error({ err }, 'republishing the room after a ballot'));
    return Promise.resolve();
  },
});

/** The chair records a show of hands from those present without a phone. */
export const recordHands = roundtableCommand({
  action: 'record_show_of_hands',
  target: (app, _request, input: { voteId: string; counts: HandsBody['counts'] }) =>
    voteTarget(app, input.voteId),
  async run(tx, { target: vote }, locked, { counts }) {
    if ((await lockVoteForCount(tx, vote.id)) !== 'open') throw refuse('vote_closed');
    const keys = await optionKeys(tx, vote);
    if (Object.keys(counts).some((k) => !keys.includes(k)))
      throw refuse('hands_unknown_option', {}, 'counts');
    // Hands come only from people marked present without a phone: nobody counts twice.
    const present = await handAttendeeCount(tx, locked.id);
    const hands = Object.values(counts).reduce((a, b) => a + b, 0);
    if (hands > present) throw refuse('too_many_hands', { hands, present }, 'counts');
    await replaceHandCounts(tx, vote.id, counts);
    return resultOf(tx, vote.id, keys);
  },
  audit: {
    action: 'vote.hands',
    entry: ({ actor, target: vote }, { counts }) => ({
      actorId: actor.user.id,
      targetType: 'vote',
      targetId: vote.id,
      details: counts,
    }),
  },
});

/** The chair closes the vote; the count is final. */
export const closeVote = roundtableCommand({
  action: 'close_vote',
  target: (app, _request, input: { voteId: string }) => voteTarget(app, input.voteId),
  async run(tx, { target: vote }) {
    // Waits for every ballot holding the vote; the count below, a new statement, sees them all.
    if ((await lockVoteForCount(tx, vote.id)) !== 'open') throw refuse('vote_closed');
    const result = await resultOf(tx, vote.id, await optionKeys(tx, vote));
    await markVoteClosed(tx, vote.id, result.counted);
    return result;
  },
  audit: {
    action: 'vote.close',
    entry: ({ actor, target: vote }, _input, result) => ({
      actorId: actor.user.id,
      targetType: 'vote',
      targetId: vote.id,
      details: result.tally,
    }),
  },
});

/** The chair records the topic's resolution (议定事项), citing its closed vote if any. */
export const recordResolution = roundtableCommand({
  action: 'record_resolution',
  target: (app, _request, input: { topicId: string; body: ResolutionBody }) =>
    topicTarget(app, input.topicId),
  async run(tx, { actor, target: topic }, _locked, { body }) {
    if (topic.status !== 'accepted') throw refuse('resolution_not_on_agenda');
    if (body.voteId) {
      const vote = await findVote(tx, body.voteId);
      if (vote?.topicId !== topic.id || vote.status !== 'closed')
        throw refuse('resolution_vote_not_closed', {}, 'voteId');
    }
    const id = await insertResolution(tx, {
      topicId: topic.id,
      text: body.text.trim(),
      voteId: body.voteId ?? null,
      recordedBy: actor.user.id,
    });
    if (!id) throw refuse('already_resolved');
    return id;
  },
  audit: {
    action: 'topic.resolve',
    entry: ({ actor, target: topic }, { body }) => ({
      actorId: actor.user.id,
      targetType: 'topic',
      targetId: topic.id,
      details: { text: body.text },
    }),
  },
});

/** The chair defers an agenda topic to a later roundtable (暂缓). */
export const deferTopic = roundtableCommand({
  action: 'defer_topic',
  target: (app, _request, input: { topicId: string }) => topicTarget(app, input.topicId),
  async run(tx, { target: topic }) {
    if (topic.status !== 'accepted' || (await hasResolution(tx, topic.id)))
      throw refuse('topic_not_deferrable');
    await markDeferred(tx, topic.id);
  },
  audit: {
    action: 'topic.defer',
    entry: ({ actor, target: topic }) => ({
      actorId: actor.user.id,
      targetType: 'topic',
      targetId: topic.id,
    }),
  },
});
