import type { FastifyRequest } from 'fastify';
import type { AmendmentBody } from '@tongxin/shared/roundtables/floor.schemas';
import { CHINA_TIME_ZONE } from '@tongxin/shared/time/china';
import {
  freezeMinutes,
  insertMinutesVersion,
  setAmendUntil,
} from '@tongxin/db/roundtables/minutes.queries';
import { scheduleJob } from '@tongxin/db/jobs/jobs.queries';
import { refuse } from '../http/app-error.ts';
import type { DueJobHandler } from '../jobs/sweeps.ts';
import type { App } from '../http/types.ts';
import { roundtableCommand } from './command.ts';
import { loadActor } from './load.ts';
import { currentMinutes } from './result.ts';

interface OnRoundtable {
  roundtableId: string;
}
type AmendmentInput = OnRoundtable & { body: AmendmentBody };

/**
 * The roundtable and its minutes as they stand now, read before the transaction: the live
 * document is not the database (and on the embedded database a read outside the
 * transaction would wait for it). Only for someone at the table (404 for anyone else; the
 * actor is loaded once per request, so the pipeline finds it ready).
 */
async function withMinutes<I extends OnRoundtable>(app: App, request: FastifyRequest, input: I) {
  await loadActor(app.db, request, input.roundtableId);
  return { roundtableId: input.roundtableId, text: await currentMinutes(app, input.roundtableId) };
}

const onRoundtable = async <I extends OnRoundtable>(
  _app: App,
  _request: FastifyRequest,
  input: I,
) => ({ roundtableId: input.roundtableId });

/** YYYY-MM-DD HH:mm in China time, the same in every language. */
const chinaTime = (at: Date) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: CHINA_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);

/** After the period's end, attendees' open editors turn read-only. */
async function recheck(app: App, { actor }: { actor: { roundtable: { id: string } } }) {
  await app.roundtableLive.recheckMinutes(actor.roundtable.id);
}

/** The due job that ends an amendment period (server/src/jobs): the minutes judged anew. */
export const MINUTES_AMENDMENT_END = 'minutes-amendment-end';
export const endOfAmendment: DueJobHandler = async (app, job) => {
  await app.roundtableLive.recheckMinutes(job.subject);
};

/** The chair puts the draft out for amendment by attendees for a set number of hours. */
export const openAmendment = roundtableCommand({
  action: 'open_amendment',
  target: withMinutes<AmendmentInput>,
  async run(tx, { actor, target }, locked, { body }) {
    if (locked.minutesFrozenAt) throw refuse('minutes_already_approved');
    const until = new Date(Date.now() + body.hours * 3_600_000);
    await setAmendUntil(tx, locked.id, until);
    // When the period ends, attendees' open editors become read-only, on every instance:
    // a due job in the database, carried out by whichever instance is alive then.
    await scheduleJob(tx, { kind: MINUTES_AMENDMENT_END, subject: locked.id, dueAt: until });
    await insertMinutesVersion(tx, {
      roundtableId: locked.id,
      kind: 'draft',
      text: target.text,
      createdBy: actor.user.id,
    });
    return until;
  },
  audit: {
    action: 'minutes.amendment',
    entry: ({ actor }, _input, until) => ({
      actorId: actor.user.id,
      targetType: 'roundtable',
      targetId: actor.roundtable.id,
      details: { until },
    }),
  },
  async effects(app, ctx) {
    await recheck(app, ctx);
  },
});

/**
 * The chair ends the amendment period early: the attendees have checked the minutes (read
 * out in the room, say) and nobody needs to wait out the hours set.
 */
export const endAmendment = roundtableCommand({
  action: 'end_amendment',
  target: onRoundtable<OnRoundtable>,
  async run(tx, _ctx, locked) {
    if (locked.minutesFrozenAt) throw refuse('minutes_already_approved');
    const now = new Date();
    if (!locked.minutesAmendUntil || locked.minutesAmendUntil <= now)
      throw refuse('no_amendment_running');
    await setAmendUntil(tx, locked.id, now);
    return locked.minutesAmendUntil;
  },
  audit: {
    action: 'minutes.amendment_end',
    entry: ({ actor }, _input, planned) => ({
      actorId: actor.user.id,
      targetType: 'roundtable',
      targetId: actor.roundtable.id,
      details: { planned },
    }),
  },
  effects: recheck,
});

/** 定稿: once the amendment period is over, the minutes are frozen as the final version. */
export const approveMinutes = roundtableCommand({
  action: 'approve_minutes',
  target: withMinutes<OnRoundtable>,
  async run(tx, { actor, target }, locked) {
    if (locked.minutesFrozenAt) throw refuse('minutes_already_approved');
    const until = locked.minutesAmendUntil;
    if (!until) throw refuse('amendment_not_opened');
    if (until > new Date()) throw refuse('amendment_running', { until: chinaTime(until) });
    await freezeMinutes(tx, locked.id, new Date());
    await insertMinutesVersion(tx, {
      roundtableId: locked.id,
      kind: 'final',
      text: target.text,
      createdBy: actor.user.id,
    });
  },
  audit: {
    action: 'minutes.approve',
    entry: ({ actor }) => ({
      actorId: actor.user.id,
      targetType: 'roundtable',
      targetId: actor.roundtable.id,
    }),
  },
  effects: recheck,
});
