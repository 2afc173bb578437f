import type { OpenVoteBody } from '@tongxin/shared/roundtable/meeting.schemas';
import { quorumMet, voteOptions } from '@tongxin/shared/roundtable/votes';
import { findTopic } from '@tongxin/db';
import {
  checkedInCount,
  insertVote,
  openVoteOf,
  topicProposals,
} from '@tongxin/db/roundtables/votes.queries';
import { AppError, refuse } from '../http/app-error.ts';
import { roundtableCommand } from './command.ts';

/** The chair opens a vote (表决) on an agenda topic; the room follows it to the topic. */
export const openVote = roundtableCommand({
  action: 'open_vote',
  async target(app, _request, input: { topicId: string; body: OpenVoteBody }) {
    const topic = await findTopic(app.db, input.topicId);
    if (!topic) throw new AppError(404, 'not_found');
    return topic;
  },
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
