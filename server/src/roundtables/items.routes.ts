import {
  ActionItemBody,
  Created,
  ItemUpdateBody,
  Ok,
  OwnerChoices,
  RatingBody,
} from '@tongxin/shared/roundtables/floor.schemas';
import { ownerChoices } from '@tongxin/db/roundtables/items.queries';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import type { App } from '../http/types.ts';
import { loadActor } from './load.ts';
import { IdParams } from '../http/params.ts';
import { assignActionItem, postProgress, rateItem } from './items.commands.ts';

const tags = ['roundtables'];
const refusals = errors(400, 401, 403, 404, 409);

/** 办事 and 评事: action items, their progress and their ratings. */
export async function actionItemRoutes(app: App) {
  app.get(
    '/roundtables/:id/owners',
    {
      schema: {
        tags,
        params: IdParams,
        response: { 200: OwnerChoices, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = await loadActor(app.db, request, request.params.id);
      if (actor.part !== 'chair') throw new AppError(403, 'forbidden');
      return ownerChoices(app.db, actor.roundtable);
    },
  );

  app.post(
    '/topics/:id/action-items',
    {
      schema: {
        tags,
        params: IdParams,
        body: ActionItemBody,
        response: { 201: Created, ...refusals },
      },
    },
    async (request, reply) => {
      const { id } = await assignActionItem(app, request, {
        topicId: request.params.id,
        body: request.body,
      });
      return reply.status(201).send({ id });
    },
  );

  app.post(
    '/action-items/:id/updates',
    {
      schema: {
        tags,
        params: IdParams,
        body: ItemUpdateBody,
        response: { 201: Created, ...refusals },
      },
    },
    async (request, reply) => {
      const { id } = await postProgress(app, request, {
        itemId: request.params.id,
        body: request.body,
      });
      return reply.status(201).send({ id });
    },
  );

  app.post(
    '/action-items/:id/ratings',
    { schema: { tags, params: IdParams, body: RatingBody, response: { 201: Ok, ...refusals } } },
    async (request, reply) => {
      await rateItem(app, request, { itemId: request.params.id, body: request.body });
      return reply.status(201).send({ ok: true as const });
    },
  );
}
