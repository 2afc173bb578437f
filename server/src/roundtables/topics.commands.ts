import type { Transaction } from 'kysely';
import type {
  RaiseTopicBody,
  ReorderAgendaBody,
  ScreenTopicBody,
} from '@tongxin/shared/roundtables/roundtable.schemas';
import type { DbOrTx } from '@tongxin/db/create-db';
import type { Database } from '@tongxin/db/database';
import { findTopic } from '@tongxin/db/roundtables/roundtables.queries';
import {
  acceptTopic as putOnAgenda,
  agendaTopicIds,
  declineTopic as declineTopicRow,
  insertCosign,
  insertTopic,
  mergeTopic as mergeTopicRow,
  setAgendaOrder,
  type Screened,
} from '@tongxin/db/roundtables/topics.queries';
import { AppError, refuse } from '../http/app-error.ts';
import type { App } from '../http/types.ts';
import { roundtableCommand, type RoundtableCtx } from './command.ts';
import { attachOwnPhotos } from '../photos/attach.ts';

type Topic = NonNullable<Awaited<ReturnType<typeof findTopic>>>;
interface TopicInput {
  topicId: string;
}
type ScreenInput = TopicInput & { body: ScreenTopicBody };

async function topicTarget(app: App, _request: unknown, input: TopicInput): Promise<Topic> {
  const topic = await findTopic(app.db, input.topicId);
  if (!topic) throw new AppError(404, 'not_found');
  return topic;
}

type RaiseInput = { roundtableId: string; body: RaiseTopicBody };
type ReorderInput = { roundtableId: string; body: ReorderAgendaBody };

/** A command on the roundtable itself: its id is all the target there is. */
const onRoundtable = async <I extends { roundtableId: string }>(
  _app: App,
  _request: unknown,
  input: I,
) => ({ roundtableId: input.roundtableId });

/** 提事: a resident raises a topic, with their photos; the room shows it live. */
export const raiseTopic = roundtableCommand({
  action: 'raise_topic',
  target: onRoundtable<RaiseInput>,
  async run(tx, { actor }, locked, { body }) {
    const id = await insertTopic(tx, {
      roundtableId: locked.id,
      raisedBy: actor.user.id,
      title: body.title.trim(),
      description: body.description?.trim() ?? '',
      category: body.category,
      location: body.location?.trim() || null,
    });
    await attachOwnPhotos(tx, actor.user.id, body.photoIds, { topicId: id });
    return id;
  },
  audit: {
    action: 'topic.raise',
    entry: ({ actor }, { body }, id) => ({
      actorId: actor.user.id,
      targetType: 'topic',
      targetId: id,
      details: { roundtableId: actor.roundtable.id, photoIds: body.photoIds ?? [] },
    }),
  },
});

/** 附议: once each, not one's own topic, and only while it is raised or on the agenda. */
export const cosignTopic = roundtableCommand({
  action: 'cosign_topic',
  target: topicTarget,
  async run(tx, { actor, target: topic }) {
    if (topic.raisedBy === actor.user.id) throw refuse('own_topic');
    const current = await findTopic(tx, topic.id);
    if (current?.status !== 'submitted' && current?.status !== 'accepted')
      throw refuse('topic_not_open');
    if (!(await insertCosign(tx, topic.id, actor.user.id))) throw refuse('already_cosigned');
    return topic.roundtableId;
  },
  audit: {
    action: 'topic.cosign',
    entry: ({ actor, target: topic }) => ({
      actorId: actor.user.id,
      targetType: 'topic',
      targetId: topic.id,
    }),
  },
});

/** The topic as it is under the lock: screened once only. */
async function stillRaised(tx: DbOrTx, topic: Topic): Promise<Topic> {
  const current = await findTopic(tx, topic.id);
  if (current?.status !== 'submitted') throw refuse('topic_already_screened');
  return current;
}

const screenedBy = (ctx: RoundtableCtx<Topic>): Screened => ({
  screenedBy: ctx.actor.user.id,
  screenedAt: new Date(),
});

const screenAudit = (decision: ScreenTopicBody['decision']) => ({
  action: `topic.${decision}`,
  entry: ({ actor, target: topic }: RoundtableCtx<Topic>, { body }: ScreenInput) => ({
    actorId: actor.user.id,
    targetType: 'topic',
    targetId: topic.id,
    details: { ...body },
  }),
});

/**
 * The raiser hears how their topic was screened (unless they screened it themselves): told
 * in the command's transaction, so a rolled-back screening tells nobody.
 */
async function tellRaiser(
  tx: Transaction<Database>,
  { app, actor, target: topic }: RoundtableCtx<Topic>,
  { body }: ScreenInput,
) {
  if (topic.raisedBy === actor.user.id) return;
  await app.notifications.send(
    tx,
    [topic.raisedBy],
    'topic_screened',
    { title: topic.title, decision: body.decision, reason: body.reason?.trim() ?? '' },
    `/roundtables/${actor.roundtable.id}`,
  );
}

/** After the commit: the raiser's bell. */
async function ringRaiser(app: App, { actor, target: topic }: RoundtableCtx<Topic>) {
  if (topic.raisedBy !== actor.user.id) await app.notifications.refresh([topic.raisedBy]);
}

/** 党支部先议: onto the agenda, last. */
export const acceptTopic = roundtableCommand({
  action: 'screen_topic',
  target: topicTarget,
  async run(tx, ctx, _locked, input: ScreenInput) {
    const topic = await stillRaised(tx, ctx.target);
    await putOnAgenda(tx, topic, screenedBy(ctx));
    await tellRaiser(tx, ctx, input);
  },
  audit: screenAudit('accept'),
  effects: ringRaiser,
});

/** Merged into another open topic of the same roundtable. */
export const mergeTopic = roundtableCommand({
  action: 'screen_topic',
  target: topicTarget,
  async run(tx, ctx, _locked, input: ScreenInput) {
    const { body } = input;
    if (!body.mergeIntoId) throw refuse('merge_target_missing', {}, 'mergeIntoId');
    const topic = await stillRaised(tx, ctx.target);
    const into = await findTopic(tx, body.mergeIntoId);
    const usable =
      into &&
      into.id !== topic.id &&
      into.roundtableId === topic.roundtableId &&
      (into.status === 'submitted' || into.status === 'accepted');
    if (!usable) throw refuse('merge_target_unusable', {}, 'mergeIntoId');
    await mergeTopicRow(tx, topic.id, into.id, screenedBy(ctx));
    await tellRaiser(tx, ctx, input);
  },
  audit: screenAudit('merge'),
  effects: ringRaiser,
});

/** Declined, with a reason the raiser is shown. */
export const declineTopic = roundtableCommand({
  action: 'screen_topic',
  target: topicTarget,
  async run(tx, ctx, _locked, input: ScreenInput) {
    const { body } = input;
    const reason = body.reason?.trim();
    if (!reason) throw refuse('decline_reason_missing', {}, 'reason');
    const topic = await stillRaised(tx, ctx.target);
    await declineTopicRow(tx, topic.id, reason, screenedBy(ctx));
    await tellRaiser(tx, ctx, input);
  },
  audit: screenAudit('decline'),
  effects: ringRaiser,
});

/** The chair orders the agenda: every agenda topic, once. */
export const reorderAgenda = roundtableCommand({
  action: 'screen_topic',
  target: onRoundtable<ReorderInput>,
  async run(tx, _ctx, locked, { body }) {
    const wanted = body.topicIds;
    const agenda = await agendaTopicIds(tx, locked.id);
    const same = agenda.length === wanted.length && agenda.every((id) => wanted.includes(id));
    if (!same) throw refuse('agenda_changed', {}, 'topicIds');
    await setAgendaOrder(tx, wanted);
  },
  audit: {
    action: 'roundtable.reorder_agenda',
    entry: ({ actor }, { body }) => ({
      actorId: actor.user.id,
      targetType: 'roundtable',
      targetId: actor.roundtable.id,
      details: { topicIds: body.topicIds },
    }),
  },
});
