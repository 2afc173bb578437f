import type { FastifyRequest } from 'fastify';
import type { Action } from '@tongxin/shared/roundtables/actions';
import { mayDo } from '@tongxin/shared/roundtables/actions';
import type { Part } from '@tongxin/shared/roundtables/stages';
import type { Transaction } from 'kysely';
import type { Db, DbOrTx } from '@tongxin/db/create-db';
import type { Database, User } from '@tongxin/db/database';
import { findGuest } from '@tongxin/db/roundtables/guests.queries';
import { findActionItem } from '@tongxin/db/roundtables/room.queries';
import {
  findRoundtable,
  findTopic,
  lockRoundtable,
  type RoundtableRow,
} from '@tongxin/db/roundtables/roundtables.queries';
import { roundtableStandings } from '@tongxin/db/users/roles.queries';
import type { App } from '../http/types.ts';
import type { RoundtableLive } from './live.ts';
import { AppError, refuse } from '../http/app-error.ts';
import { requireUser } from '../http/request-context.ts';
import { partFrom } from './part.ts';

export interface Actor {
  user: User;
  roundtable: RoundtableRow;
  part: Part;
  /** A guest the chair lets speak (false for everyone else). */
  guestMaySpeak: boolean;
}

/** Actors already loaded for a request, by roundtable: a route that asks twice asks once. */
const actorsOf = new WeakMap<FastifyRequest, Map<string, Promise<Actor>>>();

/**
 * The signed-in user, the roundtable and their part in it; 404 when there is no such table.
 * Two statements, run side by side (the row, and the user's standing in it), once per request.
 */
export function loadActor(db: Db, request: FastifyRequest, roundtableId: string): Promise<Actor> {
  const user = requireUser(request);
  let loaded = actorsOf.get(request);
  if (!loaded) actorsOf.set(request, (loaded = new Map()));
  let actor = loaded.get(roundtableId);
  if (!actor) {
    actor = readActor(db, user, roundtableId);
    loaded.set(roundtableId, actor);
  }
  return actor;
}

async function readActor(db: Db, user: User, roundtableId: string): Promise<Actor> {
  const [roundtable, standings] = await Promise.all([
    findRoundtable(db, roundtableId),
    roundtableStandings(db, user.id, [roundtableId]),
  ]);
  if (!roundtable) throw new AppError(404, 'not_found');
  const standing = standings.get(roundtableId);
  const part = partFrom(user, roundtable, standing);
  // The meeting is for the place's residents, invited units and guests by its link: to
  // anyone else (another community's resident, an account with no role, a guest of another
  // table) it is not there. Only the published 公示 is public, and it does not come here.
  if (part === 'observer') throw new AppError(404, 'not_found');
  return {
    user,
    roundtable,
    part,
    guestMaySpeak: part === 'guest' && standing?.guestMaySpeak === true,
  };
}

async function guestMaySpeak(db: DbOrTx, part: Part, roundtableId: string, userId: string) {
  return part === 'guest' && (await findGuest(db, roundtableId, userId))?.maySpeak === true;
}

/** The shared rules decide: 403 for who, 409 for when. */
export function authorise(actor: Actor, action: Action): void {
  const permissions = {
    openMinutes: actor.roundtable.openMinutes,
    guestMaySpeak: actor.guestMaySpeak,
  };
  if (mayDo(actor.roundtable.stage, actor.part, action, permissions)) return;
  const anyStage = (['raise', 'discuss', 'act', 'review'] as const).some((s) =>
    mayDo(s, actor.part, action, permissions),
  );
  if (!anyStage) throw new AppError(403, 'forbidden');
  throw refuse('not_in_this_stage');
}

type Locked = NonNullable<Awaited<ReturnType<typeof lockRoundtable>>>;

/**
 * Judged again under the roundtable's lock when the stage moved on, and for guests, whose
 * leave to speak the chair may have just taken back (that command holds the same lock).
 */
export async function rejudgeUnderLock(
  tx: DbOrTx,
  actor: Actor,
  locked: Locked,
  action: Action,
): Promise<void> {
  if (locked.stage === actor.roundtable.stage && actor.part !== 'guest') return;
  const now = { ...actor, roundtable: { ...actor.roundtable, ...locked } };
  now.guestMaySpeak = await guestMaySpeak(tx, actor.part, locked.id, actor.user.id);
  authorise(now, action);
}

/**
 * The older shape of a roundtable command (routes not yet moved to roundtableCommand in
 * command.ts): the same lock, re-judgement and republish.
 */
export async function runCommand<T>(
  app: App,
  live: RoundtableLive,
  _request: FastifyRequest,
  actor: Actor,
  action: Action,
  work: (tx: Transaction<Database>, locked: Locked) => Promise<T>,
): Promise<T> {
  authorise(actor, action);
  const result = await app.db.transaction().execute(async (tx) => {
    const locked = await lockRoundtable(tx, actor.roundtable.id);
    if (!locked) throw new AppError(404, 'not_found');
    await rejudgeUnderLock(tx, actor, locked, action);
    return work(tx, locked);
  });
  await live.publish(actor.roundtable.id);
  return result;
}

/** A topic and the caller's part in its roundtable; 404 when there is no such topic. */
export async function loadTopicActor(db: Db, request: FastifyRequest, topicId: string) {
  const topic = await findTopic(db, topicId);
  if (!topic) throw new AppError(404, 'not_found');
  return { topic, actor: await loadActor(db, request, topic.roundtableId) };
}

/** An action item and the caller's part in its roundtable. */
export async function loadItemActor(db: Db, request: FastifyRequest, itemId: string) {
  const item = await findActionItem(db, itemId);
  if (!item) throw new AppError(404, 'not_found');
  return { item, actor: await loadActor(db, request, item.roundtableId) };
}
