import {
  PROBLEM_TOPIC_CATEGORY,
  problemVerbFits,
  problemVerbIsFor,
  roundtableTakesTopics,
  type ProblemStanding,
} from '@tongxin/shared/problems/problems';
import type { RaiseProblemBody } from '@tongxin/shared/problems/problems.schemas';
import type { User } from '@tongxin/db/database';
import {
  findRoundtable,
  lockRoundtable,
  type RoundtableRow,
} from '@tongxin/db/roundtables/roundtables.queries';
import {
  findProblem,
  followersOf,
  insertProblemEvent,
  lockProblems,
  problemDetail,
  updateProblem,
} from '@tongxin/db/problems/problems.queries';
import {
  copyProblemPhotosToTopic,
  linkProblemToTopic,
  roundtableInCommunity,
} from '@tongxin/db/problems/raise.queries';
import { insertCosign, insertTopic } from '@tongxin/db/roundtables/topics.queries';
import { defineCommand } from '../http/command.ts';
import { AppError, refuse } from '../http/app-error.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { problemLink, standingOf } from './problems.commands.ts';
import { problemTitle } from './views.ts';

type Problem = NonNullable<Awaited<ReturnType<typeof findProblem>>>;
type Detail = NonNullable<Awaited<ReturnType<typeof problemDetail>>>;

interface RaiseCtx {
  app: App;
  user: User;
  problem: Problem;
  detail: Detail;
  standing: ProblemStanding;
  roundtable: RoundtableRow | undefined;
  inCommunity: boolean;
}

interface Raised {
  problemId: string;
  communityId: string;
  roundtableId: string;
  topicId: string;
  cosigners: number;
  photos: number;
  told: string[];
}

/** The topic's words from the report: its start as the title, where it is with the rest. */
function topicFrom(detail: Detail) {
  const place = [detail.placeName, detail.location].filter(Boolean).join(' · ');
  const where = [detail.communityName, place].filter(Boolean).join(' · ');
  return {
    title: problemTitle(detail.description),
    description: `${detail.description}\n\n地点：${where}`,
    location: place ? place.slice(0, 80) : null,
  };
}

/**
 * 提交圆桌会议: the grid worker who handles a report, or the community's secretary, raises it
 * to a roundtable of its community in one step. The topic keeps the report's photos (copied:
 * a photo has one owner), its reporters (the reporter and those of duplicates merged into
 * it) co-sign it, and each points at the other.
 *
 * Lock order (decision 0016, and `defineCommand`'s community → roundtable → row): the
 * roundtable's row first (`lockRoundtable`, as every topic command takes it, so the stage it
 * is judged on cannot move under it), then the report's (`lockProblems`, the same lock every
 * step on a report takes), then inserts nobody locks first (topic, photos, co-signs, event,
 * notifications, audit). No command takes a report's lock before a roundtable's, so two raises
 * of one report (into one roundtable or two) queue on the report and the second is refused.
 */
export const raiseProblem = defineCommand<
  { id: string; body: RaiseProblemBody },
  RaiseCtx,
  { problem: Problem; roundtable: NonNullable<Awaited<ReturnType<typeof lockRoundtable>>> },
  Raised
>({
  async load(app, request, { id, body }) {
    const user = requireUser(request);
    const [problem, detail, roundtable] = await Promise.all([
      findProblem(app.db, id),
      problemDetail(app.db, id),
      findRoundtable(app.db, body.roundtableId),
    ]);
    if (!problem || !detail) throw new AppError(404, 'not_found');
    const standing = await standingOf(app, user, problem);
    // Where a roundtable is held never changes: read before the transaction, refused after
    // the check of who asks (a resident hears 403 whatever roundtable they named).
    const inCommunity =
      roundtable !== undefined &&
      (await roundtableInCommunity(app.db, roundtable.id, problem.communityId));
    return { app, user, problem, detail, standing, roundtable, inCommunity };
  },
  authorise({ standing }) {
    if (!problemVerbIsFor('raise', standing)) throw refuse('not_problem_handler');
  },
  async lock(tx, { problem, roundtable: seen, inCommunity }) {
    if (!seen || !inCommunity) throw refuse('roundtable_not_in_community', {}, 'roundtableId');
    const roundtable = await lockRoundtable(tx, seen.id);
    if (!roundtable) throw new AppError(404, 'not_found');
    const [locked] = await lockProblems(tx, [problem.id]);
    if (!locked) throw new AppError(404, 'not_found');
    // Judged on what the locks hold: another raise, a merge or an answer may have come first.
    if (locked.topicId) throw refuse('problem_already_raised');
    if (locked.status === 'merged') throw refuse('problem_merged');
    if (!problemVerbFits('raise', locked.status)) throw refuse('problem_closed');
    if (!roundtableTakesTopics(roundtable.stage))
      throw refuse('roundtable_not_taking_topics', {}, 'roundtableId');
    return { problem: locked, roundtable };
  },
  async run(tx, { app, user, detail }, { problem, roundtable }) {
    const topicId = await insertTopic(tx, {
      roundtableId: roundtable.id,
      raisedBy: user.id,
      category: PROBLEM_TOPIC_CATEGORY[problem.category],
      ...topicFrom(detail),
    });
    const photos = await copyProblemPhotosToTopic(tx, problem.id, topicId);
    // The reporters co-sign it (one does not co-sign a topic one raised oneself).
    const followers = await followersOf(tx, problem.id);
    let cosigners = 0;
    for (const userId of followers)
      if (userId !== user.id && (await insertCosign(tx, topicId, userId))) cosigners += 1;
    await linkProblemToTopic(tx, problem.id, topicId);
    // Taking a report to a roundtable answers it: it is accepted (受理), not left 待受理 while
    // the roundtable deals with it. Its own deadlines stop (isOverdue), so no resolve-by.
    if (problem.status === 'submitted') {
      await updateProblem(tx, problem.id, {
        status: 'accepted',
        handlerId: user.id,
        escalatedAt: null,
      });
      await insertProblemEvent(tx, { problemId: problem.id, actorId: user.id, kind: 'accepted' });
    }
    await insertProblemEvent(tx, {
      problemId: problem.id,
      actorId: user.id,
      kind: 'raised',
      note: roundtable.title,
    });
    const told = followers.filter((f) => f !== user.id);
    if (told.length)
      await app.notifications.send(
        tx,
        told,
        'problem_raised',
        { title: problemTitle(problem.description), roundtable: roundtable.title },
        problemLink(problem.id),
      );
    return {
      problemId: problem.id,
      communityId: problem.communityId,
      roundtableId: roundtable.id,
      topicId,
      cosigners,
      photos,
      told,
    };
  },
  audit: {
    action: 'problem.raise',
    entry: ({ user }, _input, raised) => ({
      actorId: user.id,
      targetType: 'problem_report',
      targetId: raised.problemId,
      details: {
        roundtableId: raised.roundtableId,
        topicId: raised.topicId,
        cosigners: raised.cosigners,
        photos: raised.photos,
      },
    }),
  },
  /** After the commit: the reporters' bells, the public list, and the roundtable's room. */
  async effects(app, _ctx, _input, raised) {
    await Promise.all([
      app.notifications.refresh(raised.told),
      app.problemsLive.publish(raised.communityId),
      app.roundtableLive.publish(raised.roundtableId),
    ]);
  },
});
