import type { FastifyRequest } from 'fastify';
import type { Action } from '@tongxin/shared/roundtable/actions';
import { mayDo } from '@tongxin/shared/roundtable/actions';
import type { Part } from '@tongxin/shared/roundtable/stages';
import { findRoundtable, type Db, type RoundtableRow, type User } from '@tongxin/db';
import { AppError } from '../http/app-error.ts';
import { requestLocale, requireUser } from '../http/request-context.ts';
import { partOf } from './part.ts';

export interface Actor {
  user: User;
  roundtable: RoundtableRow;
  part: Part;
}

const notNow = {
  zh: '会议当前阶段不能进行此操作。',
  en: 'This cannot be done in the meeting’s current stage.',
};

/** The signed-in user, the roundtable and their part in it; 404 when there is no such table. */
export async function loadActor(
  db: Db,
  request: FastifyRequest,
  roundtableId: string,
): Promise<Actor> {
  const user = requireUser(request);
  const roundtable = await findRoundtable(db, roundtableId);
  if (!roundtable) throw new AppError(404, 'not_found');
  return { user, roundtable, part: await partOf(db, user, roundtable) };
}

/** The shared rules decide: 403 for who, 409 for when. */
export function authorise(request: FastifyRequest, actor: Actor, action: Action): void {
  const permissions = { openMinutes: actor.roundtable.openMinutes, guestMaySpeak: false };
  if (mayDo(actor.roundtable.stage, actor.part, action, permissions)) return;
  const anyStage = (['raise', 'discuss', 'act', 'review'] as const).some((s) =>
    mayDo(s, actor.part, action, permissions),
  );
  if (!anyStage) throw new AppError(403, 'forbidden');
  throw new AppError(409, 'illegal_state', requestLocale(request) === 'en' ? notNow.en : notNow.zh);
}
