import { Type } from 'typebox';
import {
  AdvanceStageBody,
  ConveneBody,
  RoundtableSummary,
  RoundtableView,
} from '@tongxin/shared/roundtables/roundtable.schemas';
import {
  findRoundtable,
  listRoundtables,
  placesOfUser,
} from '@tongxin/db/roundtables/roundtables.queries';
import { errors } from '../http/error-responses.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { loadActor } from './load.ts';
import { partsOf } from './part.ts';
import { advanceStage, convene } from './roundtables.commands.ts';
import { loadRoundtableView } from './views.ts';
import { IdParams } from '../http/params.ts';

const tags = ['roundtables'];

/** Convening, the list, one roundtable, and moving it on: adapters for roundtables.commands.ts. */
export async function roundtableRoutes(app: App) {
  app.post(
    '/roundtables',
    {
      schema: {
        tags,
        body: ConveneBody,
        response: { 201: RoundtableView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const id = await convene(app, request, request.body);
      const row = (await findRoundtable(app.db, id))!;
      return reply
        .status(201)
        .send(await loadRoundtableView(app.db, row, requireUser(request), 'chair'));
    },
  );

  app.get(
    '/roundtables',
    { schema: { tags, response: { 200: Type.Array(RoundtableSummary), ...errors(401) } } },
    async (request) => {
      const user = requireUser(request);
      const near = await listRoundtables(app.db, await placesOfUser(app.db, user.id), user.id);
      // Listed only where the person takes part: the rest would answer 404 when opened.
      const parts = await partsOf(app.db, user, near);
      const rows = near.filter((r) => parts.get(r.id) !== 'observer');
      return rows.map((r) => ({
        id: r.id,
        title: r.title,
        localName: r.localName,
        startsAt: r.startsAt.toISOString(),
        stage: r.stage,
        place: { id: r.placeId, name: r.placeName },
      }));
    },
  );

  app.get(
    '/roundtables/:id',
    {
      schema: {
        tags,
        params: IdParams,
        response: { 200: RoundtableView, ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = await loadActor(app.db, request, request.params.id);
      return loadRoundtableView(app.db, actor.roundtable, actor.user, actor.part);
    },
  );

  app.post(
    '/roundtables/:id/advance',
    {
      schema: {
        tags,
        params: IdParams,
        body: AdvanceStageBody,
        response: { 200: RoundtableView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      await advanceStage(app, request, { roundtableId: request.params.id, body: request.body });
      const actor = await loadActor(app.db, request, request.params.id);
      const row = (await findRoundtable(app.db, actor.roundtable.id))!;
      return loadRoundtableView(app.db, row, actor.user, actor.part);
    },
  );
}
