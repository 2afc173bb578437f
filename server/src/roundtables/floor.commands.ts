import type {
  AttendBody,
  CurrentTopicBody,
  FloorBody,
  HandBody,
  MarkPresentBody,
  ProposalBody,
  SettingsBody,
} from '@tongxin/shared/roundtables/floor.schemas';
import { findAttendance, lowerHand } from '@tongxin/db/roundtables/room.queries';
import { findTopic } from '@tongxin/db/roundtables/roundtables.queries';
import {
  checkIn,
  endCurrentTurn,
  insertProposal,
  markPresentByHand,
  raiseHand as queueToSpeak,
  setCurrentTopic as showTopic,
  startTurn,
  startWaitingTurn,
  updateSettings,
} from '@tongxin/db/roundtables/floor.queries';
import { openVoteOf } from '@tongxin/db/roundtables/votes.queries';
import { AppError, refuse } from '../http/app-error.ts';
import { roundtableCommand } from './command.ts';

// The live part of 议事 (who is present, the topic, the floor, settings, proposals). Presence
// and the floor write no audit row: each is a row of its own (attendance, speaking_turns) that
// already says who and when, and at the door of a hall of phones an audit row would double
// every check-in. What the meeting decides (votes, resolutions, settings) is audited.

/** The chair sets the speaker timer, open minutes and hidden tallies. */
export const configure = roundtableCommand({
  action: 'configure',
  target: async (_app, _request, input: { roundtableId: string; body: SettingsBody }) => ({
    roundtableId: input.roundtableId,
  }),
  async run(tx, _ctx, locked, { body }) {
    await updateSettings(tx, locked.id, body);
  },
  audit: {
    action: 'roundtable.configure',
    entry: ({ actor }, { body }) => ({
      actorId: actor.user.id,
      targetType: 'roundtable',
      targetId: actor.roundtable.id,
      details: { ...body },
    }),
  },
  async effects(app, { actor }, { body }) {
    // Who may write the minutes changed: open sockets are judged again.
    if (body.openMinutes !== undefined)
      await app.roundtableLive.recheckMinutes(actor.roundtable.id);
  },
});

/** Checking in: on the phone, or by scanning the room's code (which counts as in person). */
export const attend = roundtableCommand({
  action: 'attend',
  target: async (_app, _request, input: { roundtableId: string; body: AttendBody }) => ({
    roundtableId: input.roundtableId,
  }),
  async run(tx, { actor }, locked, { body: { code } }) {
    if (code !== undefined && code !== locked.checkinCode)
      throw refuse('wrong_checkin_code', {}, 'code');
    await checkIn(tx, {
      roundtableId: locked.id,
      userId: actor.user.id,
      name: actor.user.displayName,
      part: actor.part === 'observer' ? 'participant' : actor.part,
      how: code ? 'qr' : 'app',
    });
  },
  audit: { exempt: 'presence: the attendance row itself says who came, how and when' },
});

/** The chair marks someone present who has no phone; they vote by show of hands. */
export const markPresent = roundtableCommand({
  action: 'mark_present',
  target: async (_app, _request, input: { roundtableId: string; body: MarkPresentBody }) => ({
    roundtableId: input.roundtableId,
  }),
  run: (tx, { actor }, locked, { body }) =>
    markPresentByHand(tx, {
      roundtableId: locked.id,
      name: body.name.trim(),
      markedBy: actor.user.id,
    }),
  audit: {
    // Audited, unlike checking in: here one person vouches for another's presence.
    action: 'roundtable.mark_present',
    entry: ({ actor }, { body }) => ({
      actorId: actor.user.id,
      targetType: 'roundtable',
      targetId: actor.roundtable.id,
      details: { name: body.name },
    }),
  },
});

/** The chair brings the room to an agenda topic (or to none). */
export const setCurrentTopic = roundtableCommand({
  action: 'set_current_topic',
  target: async (_app, _request, input: { roundtableId: string; body: CurrentTopicBody }) => ({
    roundtableId: input.roundtableId,
  }),
  async run(tx, _ctx, locked, { body: { topicId } }) {
    if (topicId) {
      const topic = await findTopic(tx, topicId);
      if (topic?.roundtableId !== locked.id || topic.status !== 'accepted')
        throw refuse('current_topic_not_on_agenda', {}, 'topicId');
    }
    if (await openVoteOf(tx, locked.id)) throw refuse('vote_still_open');
    await showTopic(tx, locked.id, topicId);
  },
  audit: {
    exempt: 'what the room shows: it changes no record (votes and resolutions are audited)',
  },
});

/** Raising a hand to speak, or lowering it (a turn in progress ends). */
export const raiseHand = roundtableCommand({
  action: 'raise_hand',
  target: async (_app, _request, input: { roundtableId: string; body: HandBody }) => ({
    roundtableId: input.roundtableId,
  }),
  async run(tx, { actor }, locked, { body }) {
    if (body.raised) await queueToSpeak(tx, locked.id, actor.user.id);
    else await lowerHand(tx, locked.id, actor.user.id);
  },
  audit: { exempt: 'the queue to speak: the speaking_turns row says who raised it and when' },
});

/** The chair gives the floor: to someone waiting, to someone present, or to nobody. */
export const giveFloor = roundtableCommand({
  action: 'give_floor',
  target: async (_app, _request, input: { roundtableId: string; body: FloorBody }) => ({
    roundtableId: input.roundtableId,
  }),
  async run(tx, _ctx, locked, { body: { userId } }) {
    const now = new Date();
    await endCurrentTurn(tx, locked.id, now);
    if (!userId || (await startWaitingTurn(tx, locked.id, userId, now))) return;
    if (!(await findAttendance(tx, locked.id, userId)))
      throw refuse('speaker_not_present', {}, 'userId');
    await startTurn(tx, locked.id, userId, now);
  },
  audit: {
    exempt: 'the floor: each speaking_turns row says who spoke, from when to when',
  },
});

/** Anyone taking part proposes a solution (方案) to an agenda topic. */
export const proposeSolution = roundtableCommand({
  action: 'propose_solution',
  async target(app, _request, input: { topicId: string; body: ProposalBody }) {
    const topic = await findTopic(app.db, input.topicId);
    if (!topic) throw new AppError(404, 'not_found');
    return topic;
  },
  async run(tx, { actor, target: topic }, _locked, { body }) {
    if (topic.status !== 'accepted') throw refuse('proposal_not_on_agenda');
    return insertProposal(tx, {
      topicId: topic.id,
      text: body.text.trim(),
      proposedBy: actor.user.id,
    });
  },
  audit: {
    action: 'topic.propose',
    entry: ({ actor, target: topic }, _input, proposalId) => ({
      actorId: actor.user.id,
      targetType: 'topic',
      targetId: topic.id,
      details: { proposalId },
    }),
  },
});
