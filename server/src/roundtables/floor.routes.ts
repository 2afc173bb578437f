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
} from '@tongxin/shared/roundtables/floor.schemas';
import { findAttendance } from '@tongxin/db/roundtables/room.queries';
import {
  handRaised,
  myBallots,
  myRatings,
  ownedItemIds,
} from '@tongxin/db/roundtables/floor.queries';
import { errors } from '../http/error-responses.ts';
import type { App } from '../http/types.ts';
import { minutesWritableBy } from './live.ts';
import { loadActor } from './load.ts';
import { IdParams } from '../http/params.ts';
import {
  attend,
  configure,
  giveFloor,
  markPresent,
  proposeSolution,
  raiseHand,
  setCurrentTopic,
} from './floor.commands.ts';

const tags = ['roundtables'];
const refusals = errors(400, 401, 403, 404, 409);
const ok = { ok: true as const };

/** 议事, the live part: HTTP adapters for floor.commands.ts, and the caller's own state. */
export async function floorRoutes(app: App) {
  app.get(
    '/roundtables/:id/me',
    { schema: { tags, params: IdParams, response: { 200: MyRoomView, ...errors(400, 401, 404) } } },
    async (request) => {
      const actor = await loadActor(app.db, request, request.params.id);
      const id = actor.roundtable.id;
      const userId = actor.user.id;
      const [present, hand, ballots, owned, ratings] = await Promise.all([
        findAttendance(app.db, id, userId),
        handRaised(app.db, id, userId),
        myBallots(app.db, id, userId),
        ownedItemIds(app.db, id, userId),
        myRatings(app.db, id, userId),
      ]);
      return {
        part: actor.part,
        present: present !== undefined,
        handRaised: hand,
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
      await configure(app, request, { roundtableId: request.params.id, body: request.body });
      return ok;
    },
  );

  app.post(
    '/roundtables/:id/attend',
    { schema: { tags, params: IdParams, body: AttendBody, response: { 200: Ok, ...refusals } } },
    async (request) => {
      await attend(app, request, { roundtableId: request.params.id, body: request.body });
      return ok;
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
      const id = await markPresent(app, request, {
        roundtableId: request.params.id,
        body: request.body,
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
      await setCurrentTopic(app, request, { roundtableId: request.params.id, body: request.body });
      return ok;
    },
  );

  app.post(
    '/roundtables/:id/hand',
    { schema: { tags, params: IdParams, body: HandBody, response: { 200: Ok, ...refusals } } },
    async (request) => {
      await raiseHand(app, request, { roundtableId: request.params.id, body: request.body });
      return ok;
    },
  );

  app.post(
    '/roundtables/:id/floor',
    { schema: { tags, params: IdParams, body: FloorBody, response: { 200: Ok, ...refusals } } },
    async (request) => {
      await giveFloor(app, request, { roundtableId: request.params.id, body: request.body });
      return ok;
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
      const id = await proposeSolution(app, request, {
        topicId: request.params.id,
        body: request.body,
      });
      return reply.status(201).send({ id });
    },
  );
}
