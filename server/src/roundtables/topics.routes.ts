import { EmptyBody } from '@tongxin/shared/auth.schemas';
import { Type } from 'typebox';
import {
  RaiseTopicBody,
  ReorderAgendaBody,
  ScreenTopicBody,
  TopicView,
} from '@tongxin/shared/roundtables/roundtable.schemas';
import { errors } from '../http/error-responses.ts';
import type { App } from '../http/types.ts';
import { loadActor } from './load.ts';
import { IdParams } from '../http/params.ts';
import {
  acceptTopic,
  cosignTopic,
  declineTopic,
  mergeTopic,
  raiseTopic,
  reorderAgenda,
} from './topics.commands.ts';
import { loadRoundtableView } from './views.ts';

const tags = ['roundtables'];
const Ok = Type.Object({ ok: Type.Literal(true) });
const refusals = errors(400, 401, 403, 404, 409);
const screen = { accept: acceptTopic, merge: mergeTopic, decline: declineTopic };

export async function topicRoutes(app: App) {
  app.post(
    '/roundtables/:id/topics',
    {
      schema: {
        tags,
        params: IdParams,
        body: RaiseTopicBody,
        response: { 201: Type.Object({ id: Type.String() }), ...refusals },
      },
    },
    async (request, reply) => {
      const id = await raiseTopic(app, request, {
        roundtableId: request.params.id,
        body: request.body,
      });
      return reply.status(201).send({ id });
    },
  );

  app.post(
    '/topics/:id/cosign',
    {
      schema: {
        tags,
        params: IdParams,
        body: EmptyBody,
        response: { 200: TopicView, ...refusals },
      },
    },
    async (request) => {
      const topicId = request.params.id;
      const roundtableId = await cosignTopic(app, request, { topicId });
      // The caller's own view of the topic, as the room now shows it.
      const actor = await loadActor(app.db, request, roundtableId);
      const view = await loadRoundtableView(app.db, actor.roundtable, actor.user, actor.part);
      return view.topics.find((t) => t.id === topicId)!;
    },
  );

  app.post(
    '/topics/:id/screen',
    {
      schema: {
        tags,
        params: IdParams,
        body: ScreenTopicBody,
        response: { 200: Ok, ...refusals },
      },
    },
    async (request) => {
      const input = { topicId: request.params.id, body: request.body };
      await screen[request.body.decision](app, request, input);
      return { ok: true as const };
    },
  );

  app.post(
    '/roundtables/:id/agenda',
    {
      schema: {
        tags,
        params: IdParams,
        body: ReorderAgendaBody,
        response: { 200: Ok, ...refusals },
      },
    },
    async (request) => {
      await reorderAgenda(app, request, { roundtableId: request.params.id, body: request.body });
      return { ok: true as const };
    },
  );
}
