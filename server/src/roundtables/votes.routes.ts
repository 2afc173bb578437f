import { EmptyBody } from '@tongxin/shared/auth.schemas';
import {
  BallotBody,
  Created,
  HandsBody,
  OpenVoteBody,
  Ok,
  ResolutionBody,
  VoteResult,
} from '@tongxin/shared/roundtables/floor.schemas';
import { findVote } from '@tongxin/db/roundtables/room.queries';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import type { App } from '../http/types.ts';
import { loadActor } from './load.ts';
import { IdParams } from '../http/params.ts';
import {
  castBallot,
  closeVote,
  deferTopic,
  openVote,
  recordHands,
  recordResolution,
  voteResult,
} from './votes.commands.ts';

const tags = ['roundtables'];
const refusals = errors(400, 401, 403, 404, 409);

/** Votes (表决) and resolutions (议定事项): HTTP adapters for votes.commands.ts. */
export async function voteRoutes(app: App) {
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
      await castBallot(app, request, { voteId: request.params.id, body: request.body });
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
    (request) =>
      recordHands(app, request, { voteId: request.params.id, counts: request.body.counts }),
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
    (request) => closeVote(app, request, { voteId: request.params.id }),
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
      const vote = await findVote(app.db, request.params.id);
      if (!vote) throw new AppError(404, 'not_found');
      const actor = await loadActor(app.db, request, vote.roundtableId);
      if (vote.status === 'open' && vote.hiddenTally && actor.part !== 'chair')
        throw new AppError(403, 'forbidden');
      return voteResult(app.db, vote);
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
      const id = await recordResolution(app, request, {
        topicId: request.params.id,
        body: request.body,
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
      await deferTopic(app, request, { topicId: request.params.id });
      return { ok: true as const };
    },
  );
}
