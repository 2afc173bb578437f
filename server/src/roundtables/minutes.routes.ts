import { EmptyBody } from '@tongxin/shared/auth.schemas';
import { AmendmentBody, Ok } from '@tongxin/shared/roundtables/floor.schemas';
import { ResultView } from '@tongxin/shared/roundtables/result.schemas';
import { findRoundtable } from '@tongxin/db/roundtables/roundtables.queries';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import type { App } from '../http/types.ts';
import { loadActor } from './load.ts';
import { approveMinutes, endAmendment, openAmendment } from './minutes.commands.ts';
import { loadResult, resultMarkdown } from './result.ts';
import { IdParams } from '../http/params.ts';

const tags = ['roundtables'];
const refusals = errors(400, 401, 403, 404, 409);

/** Minutes approval (drafted live, amended for a set period, then frozen) and the 公示. */
export async function minutesRoutes(app: App) {
  app.post(
    '/roundtables/:id/minutes/amendment',
    { schema: { tags, params: IdParams, body: AmendmentBody, response: { 200: Ok, ...refusals } } },
    async (request) => {
      await openAmendment(app, request, { roundtableId: request.params.id, body: request.body });
      return { ok: true as const };
    },
  );

  app.post(
    '/roundtables/:id/minutes/amendment/end',
    { schema: { tags, params: IdParams, body: EmptyBody, response: { 200: Ok, ...refusals } } },
    async (request) => {
      await endAmendment(app, request, { roundtableId: request.params.id });
      return { ok: true as const };
    },
  );

  app.post(
    '/roundtables/:id/minutes/approve',
    { schema: { tags, params: IdParams, body: EmptyBody, response: { 200: Ok, ...refusals } } },
    async (request) => {
      await approveMinutes(app, request, { roundtableId: request.params.id });
      return { ok: true as const };
    },
  );

  // The 公示 is public once the roundtable is closed; before that, for those who may see it.
  const resultOf = async (request: Parameters<typeof loadActor>[1], id: string) => {
    const row = await findRoundtable(app.db, id);
    if (!row) throw new AppError(404, 'not_found');
    if (row.stage !== 'closed') await loadActor(app.db, request, id);
    return loadResult(app.db, row);
  };

  app.get(
    '/roundtables/:id/result',
    { schema: { tags, params: IdParams, response: { 200: ResultView, ...errors(400, 401, 404) } } },
    async (request) => resultOf(request, request.params.id),
  );

  app.get(
    '/roundtables/:id/result.md',
    { schema: { tags, params: IdParams, produces: ['text/markdown'] } },
    async (request, reply) => {
      const result = await resultOf(request, request.params.id);
      const name = encodeURIComponent(`${result.localName}-${result.title}.md`);
      return reply
        .type('text/markdown; charset=utf-8')
        .header('content-disposition', `attachment; filename*=UTF-8''${name}`)
        .send(resultMarkdown(result));
    },
  );
}
