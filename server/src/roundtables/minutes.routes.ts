import type { FastifyRequest } from 'fastify';
import { EmptyBody } from '@tongxin/shared';
import { AmendmentBody, Ok } from '@tongxin/shared/roundtable/meeting.schemas';
import { ResultView } from '@tongxin/shared/roundtable/result.schemas';
import { findRoundtable, latestMinutesVersion, writeAudit, type DbOrTx } from '@tongxin/db';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requestLocale, say } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import type { RoundtableLive } from './live.ts';
import { loadActor, runCommand } from './load.ts';
import { currentMinutes, loadResult, resultMarkdown } from './result.ts';
import { IdParams } from '../http/params.ts';
import { CHINA_TIME_ZONE } from '@tongxin/shared/time/china';

const tags = ['roundtables'];
const refusals = errors(400, 401, 403, 404, 409);

async function nextVersion(tx: DbOrTx, roundtableId: string): Promise<number> {
  return ((await latestMinutesVersion(tx, roundtableId))?.version ?? 0) + 1;
}

const alreadyApproved = (request: FastifyRequest) =>
  new AppError(
    409,
    'illegal_state',
    say(request, '纪要已经定稿。', 'The minutes are already approved.'),
  );

/** Minutes approval (drafted live, amended for a set period, then frozen) and the 公示. */
export async function minutesRoutes(app: App, live: RoundtableLive) {
  app.post(
    '/roundtables/:id/minutes/amendment',
    { schema: { tags, params: IdParams, body: AmendmentBody, response: { 200: Ok, ...refusals } } },
    async (request) => {
      const actor = await loadActor(app.db, request, request.params.id);
      // Read before the transaction: the live document is not the database (and on the
      // embedded database a read outside the transaction would wait for it).
      const text = await currentMinutes(app, actor.roundtable.id);
      await runCommand(app, live, request, actor, 'open_amendment', async (tx, locked) => {
        if (locked.minutesFrozenAt) throw alreadyApproved(request);
        const until = new Date(Date.now() + request.body.hours * 3_600_000);
        await tx
          .updateTable('roundtables')
          .set({ minutesAmendUntil: until })
          .where('id', '=', locked.id)
          .execute();
        await tx
          .insertInto('minutesVersions')
          .values({
            roundtableId: locked.id,
            version: await nextVersion(tx, locked.id),
            kind: 'draft',
            text,
            createdBy: actor.user.id,
          })
          .execute();
        await writeAudit(tx, {
          actorId: actor.user.id,
          action: 'minutes.amendment',
          targetType: 'roundtable',
          targetId: locked.id,
          details: { until },
        });
      });
      await live.recheckMinutes(actor.roundtable.id);
      // When the period ends, attendees' open editors become read-only (a restart meanwhile
      // judges every reconnecting socket anew anyway).
      const ends = setTimeout(
        () => void live.recheckMinutes(actor.roundtable.id),
        request.body.hours * 3_600_000 + 1000,
      );
      ends.unref();
      return { ok: true as const };
    },
  );

  // The chair ends the amendment period early: the attendees have checked the minutes (read
  // out in the room, say) and nobody needs to wait out the hours set.
  app.post(
    '/roundtables/:id/minutes/amendment/end',
    { schema: { tags, params: IdParams, body: EmptyBody, response: { 200: Ok, ...refusals } } },
    async (request) => {
      const actor = await loadActor(app.db, request, request.params.id);
      await runCommand(app, live, request, actor, 'end_amendment', async (tx, locked) => {
        if (locked.minutesFrozenAt) throw alreadyApproved(request);
        const now = new Date();
        if (!locked.minutesAmendUntil || locked.minutesAmendUntil <= now)
          throw new AppError(
            409,
            'illegal_state',
            say(request, '现在没有进行中的修订期。', 'No amendment period is running now.'),
          );
        await tx
          .updateTable('roundtables')
          .set({ minutesAmendUntil: now })
          .where('id', '=', locked.id)
          .execute();
        await writeAudit(tx, {
          actorId: actor.user.id,
          action: 'minutes.amendment_end',
          targetType: 'roundtable',
          targetId: locked.id,
          details: { planned: locked.minutesAmendUntil },
        });
      });
      await live.recheckMinutes(actor.roundtable.id);
      return { ok: true as const };
    },
  );

  app.post(
    '/roundtables/:id/minutes/approve',
    { schema: { tags, params: IdParams, body: EmptyBody, response: { 200: Ok, ...refusals } } },
    async (request) => {
      const actor = await loadActor(app.db, request, request.params.id);
      const text = await currentMinutes(app, actor.roundtable.id);
      await runCommand(app, live, request, actor, 'approve_minutes', async (tx, locked) => {
        if (locked.minutesFrozenAt) throw alreadyApproved(request);
        const until = locked.minutesAmendUntil;
        if (!until)
          throw new AppError(
            409,
            'illegal_state',
            say(
              request,
              '请先开放修订期，让与会居民核对纪要。',
              'Open an amendment period first, so attendees can check the minutes.',
            ),
          );
        if (until > new Date()) {
          const at = until.toLocaleString(requestLocale(request) === 'en' ? 'en-GB' : 'zh-CN', {
            timeZone: CHINA_TIME_ZONE,
            dateStyle: 'short',
            timeStyle: 'short',
          });
          throw new AppError(
            409,
            'illegal_state',
            say(
              request,
              `修订期到 ${at} 结束，之后才能定稿。`,
              `The amendment period runs until ${at}; approve after that.`,
            ),
          );
        }
        const now = new Date();
        await tx
          .updateTable('roundtables')
          .set({ minutesFrozenAt: now })
          .where('id', '=', locked.id)
          .execute();
        await tx
          .insertInto('minutesVersions')
          .values({
            roundtableId: locked.id,
            version: await nextVersion(tx, locked.id),
            kind: 'final',
            text,
            createdBy: actor.user.id,
          })
          .execute();
        await writeAudit(tx, {
          actorId: actor.user.id,
          action: 'minutes.approve',
          targetType: 'roundtable',
          targetId: locked.id,
        });
      });
      await live.recheckMinutes(actor.roundtable.id);
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
