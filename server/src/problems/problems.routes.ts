import { Type } from 'typebox';
import {
  ConfirmProblemBody,
  DeclineProblemBody,
  MergeProblemBody,
  ProblemBody,
  ProblemList,
  ProblemListQuery,
  ProblemStepBody,
  ProblemView,
  RaiseProblemBody,
  RaiseTargets,
  ReopenProblemBody,
  SimilarProblemsQuery,
} from '@tongxin/shared/problems/problems.schemas';
import {
  findProblem,
  pointsCreditedFor,
  listProblems,
  problemDetail,
  problemEventsOf,
  problemsFollowedBy,
  problemsHandledBy,
  similarProblems,
} from '@tongxin/db/problems/problems.queries';
import { roundtablesTakingTopics } from '@tongxin/db/problems/raise.queries';
import { findRoundtable } from '@tongxin/db/roundtables/roundtables.queries';
import type { User } from '@tongxin/db/database';
import { partOf } from '../roundtables/part.ts';
import { problemVerbIsFor } from '@tongxin/shared/problems/problems';
import { AppError, refuse } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { IdParams } from '../http/params.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import {
  acceptProblem,
  confirmProblem,
  declineProblem,
  mergeProblem,
  reopenProblem,
  resolveProblem,
  standingOf,
  startProblem,
  submitProblem,
} from './problems.commands.ts';
import { raiseProblem } from './raise.commands.ts';
import { toSummary, toView, topicOutcome } from './views.ts';

const tags = ['problems'];
const Created = Type.Object({ id: Type.String() });

/** 随手拍 problem reports (下呼上应): report, answer, fix, confirm. */
export async function problemRoutes(app: App) {
  /**
   * Where the viewer can follow a raised report's roundtable: its room if they take part (the
   * rest would answer 404), else its 公示 once closed, else nowhere.
   */
  async function roundtableOpenTo(user: User, roundtableId: string) {
    const roundtable = await findRoundtable(app.db, roundtableId);
    if (!roundtable) return null;
    if ((await partOf(app.db, user, roundtable)) !== 'observer') return 'room';
    return roundtable.stage === 'closed' ? 'result' : null;
  }

  /** The report as this viewer sees it, after a command or on its own page. */
  async function viewFor(request: Parameters<typeof requireUser>[0], id: string) {
    const user = requireUser(request);
    const problem = await findProblem(app.db, id);
    if (!problem) throw new AppError(404, 'not_found');
    const [detail, events, standing, points] = await Promise.all([
      problemDetail(app.db, id),
      problemEventsOf(app.db, id),
      standingOf(app, user, problem),
      pointsCreditedFor(app.db, user.id, id),
    ]);
    if (!detail) throw new AppError(404, 'not_found');
    const outcome =
      detail.topicId && detail.raisedToId
        ? await topicOutcome(
            app.db,
            detail.raisedToId,
            detail.topicId,
            await roundtableOpenTo(user, detail.raisedToId),
          )
        : null;
    return toView(detail, events, standing, app.now(), outcome, points);
  }

  app.post(
    '/problems',
    {
      schema: {
        tags,
        description: 'Report a problem; photos are uploaded first with POST /api/photos.',
        body: ProblemBody,
        response: { 201: Created, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { id } = await submitProblem(app, request, request.body);
      return reply.status(201).send({ id });
    },
  );

  app.get(
    '/problems',
    {
      schema: {
        tags,
        description: 'A community’s reports, newest first, without reporters’ names (公示).',
        querystring: ProblemListQuery,
        response: { 200: ProblemList, ...errors(400, 401) },
      },
    },
    async (request) => {
      requireUser(request);
      const { communityId, status, limit } = request.query;
      const rows = await listProblems(app.db, communityId, { status, limit: limit ?? 50 });
      const now = app.now();
      return { items: rows.map((r) => toSummary(r, now)) };
    },
  );

  app.get(
    '/problems/mine',
    { schema: { tags, response: { 200: ProblemList, ...errors(401) } } },
    async (request) => {
      const rows = await problemsFollowedBy(app.db, requireUser(request).id);
      const now = app.now();
      return { items: rows.map((r) => toSummary(r, now)) };
    },
  );

  app.get(
    '/problems/to-handle',
    {
      schema: {
        tags,
        description: 'Reports waiting on me as grid worker or secretary, nearest deadline first.',
        response: { 200: ProblemList, ...errors(401) },
      },
    },
    async (request) => {
      const rows = await problemsHandledBy(app.db, requireUser(request).id);
      const now = app.now();
      return { items: rows.map((r) => toSummary(r, now)) };
    },
  );

  app.get(
    '/problems/similar',
    {
      schema: {
        tags,
        description: 'Open reports of the same kind nearby in the last 30 days: likely duplicates.',
        querystring: SimilarProblemsQuery,
        response: { 200: ProblemList, ...errors(400, 401) },
      },
    },
    async (request) => {
      requireUser(request);
      const now = app.now();
      const rows = await similarProblems(app.db, request.query, now);
      return { items: rows.map((r) => toSummary(r, now)) };
    },
  );

  app.get(
    '/problems/:id',
    { schema: { tags, params: IdParams, response: { 200: ProblemView, ...errors(401, 404) } } },
    async (request) => viewFor(request, request.params.id),
  );

  const step = {
    tags,
    params: IdParams,
    response: { 200: ProblemView, ...errors(400, 401, 403, 404, 409) },
  };

  app.post(
    '/problems/:id/accept',
    { schema: { ...step, body: Type.Object({}, { additionalProperties: false }) } },
    async (request) => {
      await acceptProblem(app, request, { id: request.params.id });
      return viewFor(request, request.params.id);
    },
  );
  app.post(
    '/problems/:id/decline',
    { schema: { ...step, body: DeclineProblemBody } },
    async (request) => {
      await declineProblem(app, request, { id: request.params.id, body: request.body });
      return viewFor(request, request.params.id);
    },
  );
  app.post(
    '/problems/:id/start',
    { schema: { ...step, body: ProblemStepBody } },
    async (request) => {
      await startProblem(app, request, { id: request.params.id, body: request.body });
      return viewFor(request, request.params.id);
    },
  );
  app.post(
    '/problems/:id/resolve',
    { schema: { ...step, body: ProblemStepBody } },
    async (request) => {
      await resolveProblem(app, request, { id: request.params.id, body: request.body });
      return viewFor(request, request.params.id);
    },
  );
  app.post(
    '/problems/:id/confirm',
    { schema: { ...step, body: ConfirmProblemBody } },
    async (request) => {
      await confirmProblem(app, request, { id: request.params.id, body: request.body });
      return viewFor(request, request.params.id);
    },
  );
  app.post(
    '/problems/:id/reopen',
    { schema: { ...step, body: ReopenProblemBody } },
    async (request) => {
      await reopenProblem(app, request, { id: request.params.id, body: request.body });
      return viewFor(request, request.params.id);
    },
  );
  app.post(
    '/problems/:id/merge',
    { schema: { ...step, body: MergeProblemBody } },
    async (request) => {
      await mergeProblem(app, request, { id: request.params.id, body: request.body });
      return viewFor(request, request.params.id);
    },
  );

  app.get(
    '/problems/:id/roundtables',
    {
      schema: {
        tags,
        description:
          'The roundtables of the report’s community taking topics now: where its handler may raise it.',
        params: IdParams,
        response: { 200: RaiseTargets, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const problem = await findProblem(app.db, request.params.id);
      if (!problem) throw new AppError(404, 'not_found');
      if (!problemVerbIsFor('raise', await standingOf(app, user, problem)))
        throw refuse('not_problem_handler');
      const rows = await roundtablesTakingTopics(app.db, problem.communityId);
      return {
        items: rows.map((r) => ({
          id: r.id,
          title: r.title,
          localName: r.localName,
          stage: r.stage,
          place: r.placeName,
          startsAt: r.startsAt.toISOString(),
        })),
      };
    },
  );
  app.post(
    '/problems/:id/raise',
    {
      schema: {
        ...step,
        description:
          '提交圆桌会议: the report becomes a topic of the roundtable, with its photos and its reporters as co-signers.',
        body: RaiseProblemBody,
      },
    },
    async (request) => {
      await raiseProblem(app, request, { id: request.params.id, body: request.body });
      return viewFor(request, request.params.id);
    },
  );
}
