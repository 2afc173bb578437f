import type { Transaction } from 'kysely';
import {
  PROBLEM_POINTS,
  isWaiting,
  problemVerbBy,
  problemVerbFits,
  problemVerbIsFor,
  resolveByFrom,
  respondByFrom,
  type ProblemStanding,
  type ProblemVerb,
} from '@tongxin/shared/problems/problems';
import type {
  ConfirmProblemBody,
  DeclineProblemBody,
  MergeProblemBody,
  ProblemBody,
  ProblemStepBody,
  ReopenProblemBody,
} from '@tongxin/shared/problems/problems.schemas';
import type { KindWithParams } from '@tongxin/shared/notifications/notifications';
import type { Database, User } from '@tongxin/db/database';
import { appendLedger } from '@tongxin/db/teams/points.queries';
import {
  findCommunity,
  findProblem,
  followersOf,
  handlesProblem,
  insertProblem,
  insertProblemEvent,
  isFollower,
  lockProblems,
  moveFollowers,
  placeInCommunity,
  receiversOf,
  updateProblem,
} from '@tongxin/db/problems/problems.queries';
import { cosignRaisedTopic } from '@tongxin/db/problems/raise.queries';
import { ownerOfRoute, routeOf } from '@tongxin/db/problems/routing.queries';
import { defineCommand, type AuditPlan } from '../http/command.ts';
import { AppError, refuse } from '../http/app-error.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { attachOwnPhotos } from '../photos/attach.ts';
import { problemTitle } from './views.ts';

type Problem = NonNullable<Awaited<ReturnType<typeof findProblem>>>;

/** Who is told what once the command commits: sent in its transaction, refreshed after. */
type Told = KindWithParams & { to: string[] };

interface Done {
  id: string;
  communityId: string;
  told: Told[];
  /** A roundtable whose room changed too (a merge into a raised report adds co-signers). */
  roundtableId?: string | undefined;
}

/** What a step did: who to tell, and a roundtable whose room it changed, if any. */
type StepDone = Told[] | { told: Told[]; roundtableId: string | undefined };

export const problemLink = (id: string) => `/problems/${id}`;

/** How the user stands to a report: answers it, follows it, both or neither. */
export async function standingOf(app: App, user: User, problem: Problem): Promise<ProblemStanding> {
  const [handles, follows] = await Promise.all([
    handlesProblem(app.db, user.id, problem),
    isFollower(app.db, problem.id, user.id),
  ]);
  return { handles, follows };
}

async function tell(app: App, tx: Transaction<Database>, problemId: string, told: Told[]) {
  for (const t of told)
    if (t.to.length)
      await app.notifications.send(tx, t.to, t.kind, t.params, problemLink(problemId));
}

/** After the commit: the bells of everyone told, the community's live list, and the room. */
async function publish(app: App, done: Done) {
  await Promise.all([
    app.notifications.refresh(done.told.flatMap((t) => t.to)),
    app.problemsLive.publish(done.communityId),
    done.roundtableId ? app.roundtableLive.publish(done.roundtableId) : undefined,
  ]);
}

const audited = <Input>(action: string): AuditPlan<{ user: User }, Input, Done> => ({
  action,
  entry: ({ user }, _input, done) => ({
    actorId: user.id,
    targetType: 'problem_report',
    targetId: done.id,
  }),
});

/** 随手拍: anyone signed in (a resident, a volunteer, a rider) reports a problem. */
export const submitProblem = defineCommand({
  async load(app, request, body: ProblemBody) {
    const user = requireUser(request);
    const community = await findCommunity(app.db, body.communityId);
    if (!community) throw new AppError(404, 'not_found');
    const place = body.placeId
      ? await placeInCommunity(app.db, body.placeId, community.id)
      : undefined;
    if (body.placeId && !place) throw refuse('place_not_in_community', {}, 'placeId');
    return { app, user, gridId: place?.gridId ?? null, now: app.now() };
  },
  authorise({ user }) {
    // A guest of one roundtable has no standing to report in a community.
    if (user.kind === 'guest') throw new AppError(403, 'forbidden');
  },
  lock: async () => null,
  async run(tx, { app, user, gridId, now }, _locked, body) {
    // 分类派单: the community's route for the category (routing.commands.ts) names the owner.
    const route = await routeOf(tx, body.communityId, body.category);
    const owner = ownerOfRoute(route);
    const id = await insertProblem(tx, {
      ...owner,
      communityId: body.communityId,
      reporterId: user.id,
      category: body.category,
      description: body.description.trim(),
      placeId: body.placeId ?? null,
      location: body.location?.trim() || null,
      gridId,
      respondBy: respondByFrom(body.category, now, route),
    });
    await attachOwnPhotos(tx, user.id, body.photoIds, { problemId: id });
    const receivers = await receiversOf(tx, { communityId: body.communityId, gridId, ...owner });
    const told: Told[] = [
      {
        to: receivers.filter((r) => r !== user.id),
        kind: 'problem_submitted',
        params: { title: problemTitle(body.description.trim()), category: body.category },
      },
    ];
    await tell(app, tx, id, told);
    return { id, communityId: body.communityId, told };
  },
  audit: audited('problem.submit'),
  effects: (app, _ctx, _input, done) => publish(app, done),
});

interface StepCtx {
  app: App;
  user: User;
  problem: Problem;
  standing: ProblemStanding;
}

/**
 * A step on one report, on the common pipeline: the shared rule says who may (403), the
 * report's row lock makes two answers queue, and the state it meets under the lock decides
 * (409: someone else answered first, or it moved on).
 */
function problemStep<Input extends { id: string }>(
  verb: ProblemVerb,
  run: (
    tx: Transaction<Database>,
    ctx: StepCtx,
    locked: Problem,
    input: Input,
  ) => Promise<StepDone>,
  /** Another report the step changes too (a merge's target), locked with it in id order. */
  alsoLock?: (input: Input) => string,
) {
  return defineCommand<Input, StepCtx, Problem, Done>({
    async load(app, request, input) {
      const user = requireUser(request);
      const problem = await findProblem(app.db, input.id);
      if (!problem) throw new AppError(404, 'not_found');
      return { app, user, problem, standing: await standingOf(app, user, problem) };
    },
    authorise({ standing }) {
      if (problemVerbIsFor(verb, standing)) return;
      throw refuse(
        problemVerbBy(verb) === 'handler' ? 'not_problem_handler' : 'not_problem_follower',
      );
    },
    async lock(tx, { problem }, input) {
      const other = alsoLock?.(input);
      const rows = await lockProblems(tx, other ? [problem.id, other] : [problem.id]);
      const locked = rows.find((r) => r.id === problem.id);
      if (!locked) throw new AppError(404, 'not_found');
      if (!problemVerbFits(verb, locked.status))
        throw refuse(
          (verb === 'accept' || verb === 'decline') && locked.status !== 'submitted'
            ? 'problem_already_answered'
            : 'problem_moved_on',
        );
      return locked;
    },
    async run(tx, ctx, locked, input) {
      const done = await run(tx, ctx, locked, input);
      const { told, roundtableId } = Array.isArray(done)
        ? { told: done, roundtableId: undefined }
        : done;
      await tell(ctx.app, tx, locked.id, told);
      return { id: locked.id, communityId: locked.communityId, told, roundtableId };
    },
    audit: audited(`problem.${verb}`),
    effects: (app, _ctx, _input, done) => publish(app, done),
  });
}

const titleOf = (p: Problem) => ({ title: problemTitle(p.description) });

export const acceptProblem = problemStep<{ id: string }>('accept', async (tx, { app, user }, p) => {
  await updateProblem(tx, p.id, {
    status: 'accepted',
    handlerId: user.id,
    resolveBy: resolveByFrom(p.category, app.now(), await routeOf(tx, p.communityId, p.category)),
    // A new clock: the answer came, so the respond-by escalation no longer stands.
    escalatedAt: null,
  });
  await insertProblemEvent(tx, { problemId: p.id, actorId: user.id, kind: 'accepted' });
  const to = (await followersOf(tx, p.id)).filter((f) => f !== user.id);
  return [{ to, kind: 'problem_answered', params: { ...titleOf(p), outcome: 'accepted' } }];
});

export const declineProblem = problemStep<{ id: string; body: DeclineProblemBody }>(
  'decline',
  async (tx, { user }, p, { body }) => {
    const reason = body.reason.trim();
    await updateProblem(tx, p.id, {
      status: 'declined',
      handlerId: user.id,
      declineReason: reason,
    });
    await insertProblemEvent(tx, {
      problemId: p.id,
      actorId: user.id,
      kind: 'declined',
      note: reason,
    });
    const to = (await followersOf(tx, p.id)).filter((f) => f !== user.id);
    return [
      { to, kind: 'problem_answered', params: { ...titleOf(p), outcome: 'declined', reason } },
    ];
  },
);

export const startProblem = problemStep<{ id: string; body: ProblemStepBody }>(
  'start',
  async (tx, { user }, p, { body }) => {
    await updateProblem(tx, p.id, { status: 'in_hand', handlerId: p.handlerId ?? user.id });
    await insertProblemEvent(tx, {
      problemId: p.id,
      actorId: user.id,
      kind: 'started',
      note: body.note?.trim() || null,
    });
    return [];
  },
);

/** Dealt with, with the evidence: the reporters are asked "is it fixed?". */
export const resolveProblem = problemStep<{ id: string; body: ProblemStepBody }>(
  'resolve',
  async (tx, { user }, p, { body }) => {
    await updateProblem(tx, p.id, { status: 'resolved', handlerId: p.handlerId ?? user.id });
    const eventId = await insertProblemEvent(tx, {
      problemId: p.id,
      actorId: user.id,
      kind: 'resolved',
      note: body.note?.trim() || null,
    });
    await attachOwnPhotos(tx, user.id, body.photoIds, { problemEventId: eventId });
    const to = (await followersOf(tx, p.id)).filter((f) => f !== user.id);
    return [{ to, kind: 'problem_resolved', params: titleOf(p) }];
  },
);

/** The reporters confirm the fix and rate it; the first reporter is credited points once. */
export const confirmProblem = problemStep<{ id: string; body: ConfirmProblemBody }>(
  'confirm',
  async (tx, { user }, p, { body }) => {
    await updateProblem(tx, p.id, { status: 'confirmed', rating: body.rating });
    await insertProblemEvent(tx, {
      problemId: p.id,
      actorId: user.id,
      kind: 'confirmed',
      note: body.note?.trim() || null,
    });
    // points_ledger_problem_once makes a second credit impossible, whatever the interleaving.
    await appendLedger(tx, {
      userId: p.reporterId,
      communityId: p.communityId,
      delta: PROBLEM_POINTS,
      reason: 'problem_report',
      problemId: p.id,
      createdBy: user.id,
    });
    return [];
  },
);

/** Not fixed: back to the handler, with a fresh time limit. */
export const reopenProblem = problemStep<{ id: string; body: ReopenProblemBody }>(
  'reopen',
  async (tx, { app, user }, p, { body }) => {
    await updateProblem(tx, p.id, {
      status: 'in_hand',
      resolveBy: resolveByFrom(p.category, app.now(), await routeOf(tx, p.communityId, p.category)),
      escalatedAt: null,
    });
    await insertProblemEvent(tx, {
      problemId: p.id,
      actorId: user.id,
      kind: 'reopened',
      note: body.note.trim(),
    });
    const to = p.handlerId && p.handlerId !== user.id ? [p.handlerId] : [];
    return [{ to, kind: 'problem_reopened', params: titleOf(p) }];
  },
);

/**
 * A duplicate joins the report it repeats: its reporters follow that one from now on. Both
 * rows are locked together in id order, so two merges in opposite directions queue instead of
 * deadlocking, and the second finds a merged report and is refused.
 */
export const mergeProblem = problemStep<{ id: string; body: MergeProblemBody }>(
  'merge',
  async (tx, { user }, p, { body }) => {
    if (body.into === p.id) throw refuse('merge_target_invalid', {}, 'into');
    // Locked with this one, in id order (alsoLock below), so crossing merges never deadlock.
    const into = await findProblem(tx, body.into);
    if (!into || into.communityId !== p.communityId || !isWaiting(into.status))
      throw refuse('merge_target_invalid', {}, 'into');
    // A report at a roundtable is its topic's: it stays, and others are merged into it.
    if (p.topicId) throw refuse('problem_already_raised');
    await updateProblem(tx, p.id, { status: 'merged', mergedInto: into.id });
    await insertProblemEvent(tx, { problemId: p.id, actorId: user.id, kind: 'merged' });
    const followers = await followersOf(tx, p.id);
    const to = followers.filter((f) => f !== user.id);
    await moveFollowers(tx, p.id, into.id);
    // Merged into a report already raised: its reporters co-sign the topic too, as those of
    // the report did when it was raised (the raiser does not co-sign a topic they raised).
    const roundtableId = into.topicId
      ? await cosignRaisedTopic(tx, into.topicId, followers)
      : undefined;
    return { told: [{ to, kind: 'problem_merged', params: titleOf(p) }], roundtableId };
  },
  ({ body }) => body.into,
);
