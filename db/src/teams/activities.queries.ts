import type { DbOrTx, Tx } from '../create-db.ts';
import type { Activity, Signup } from './teams.tables.ts';
import { newCheckinCode } from './service-days.queries.ts';

export interface NewActivity {
  communityId: string;
  teamId: string | null;
  title: string;
  description: string;
  place: string;
  requirements: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  membersOnly: boolean;
  createdBy: string;
}

/** A new activity with its own check-in secret; returns its id. */
export async function insertActivity(tx: Tx, activity: NewActivity): Promise<string> {
  const row = await tx
    .insertInto('activities')
    .values({ ...activity, checkinCode: newCheckinCode() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface ActivityEdit {
  title?: string;
  description?: string;
  place?: string;
  requirements?: string;
  capacity?: number;
  startsAt: Date;
  endsAt: Date;
}

export function updateActivity(tx: Tx, id: string, edit: ActivityEdit): Promise<Activity> {
  return tx
    .updateTable('activities')
    .set(edit)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function cancelActivity(tx: Tx, id: string): Promise<void> {
  await tx.updateTable('activities').set({ status: 'cancelled' }).where('id', '=', id).execute();
}

/** Everyone holding or waiting for a place on the activity. */
export async function peopleOn(db: DbOrTx, activityId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('signups')
    .select('userId')
    .where('activityId', '=', activityId)
    .where('status', '<>', 'cancelled')
    .execute();
  return rows.map((r) => r.userId);
}

/**
 * Gives freed places to the first people on the waiting list, in arrival order, under the
 * activity's row lock (the caller holds it). Returns who was promoted, to be told.
 */
export async function promoteFromWaitlist(tx: Tx, activity: Activity): Promise<Signup[]> {
  const free = activity.capacity - activity.confirmedCount;
  if (free <= 0) return [];
  const next = await tx
    .selectFrom('signups')
    .select('id')
    .where('activityId', '=', activity.id)
    .where('status', '=', 'waitlisted')
    .orderBy('arrival')
    .limit(free)
    .execute();
  if (!next.length) return [];
  const promoted = await tx
    .updateTable('signups')
    .set({ status: 'confirmed', promotedAt: new Date() })
    .where(
      'id',
      'in',
      next.map((n) => n.id),
    )
    .returningAll()
    .execute();
  await tx
    .updateTable('activities')
    .set((eb) => ({ confirmedCount: eb('confirmedCount', '+', promoted.length) }))
    .where('id', '=', activity.id)
    .execute();
  return promoted;
}

/** Place counts of a community's activities that have not ended yet (for the live board). */
export function openActivityCounts(db: DbOrTx, communityId: string, now: Date) {
  return db
    .selectFrom('activities')
    .select(['id', 'confirmedCount', 'capacity', 'status'])
    .where('communityId', '=', communityId)
    .where('endsAt', '>', now)
    .execute();
}

/**
 * Places on activities starting before `soon` whose holders have not been reminded, locked
 * (skipping those another server is reminding).
 */
export function dueReminders(tx: Tx, now: Date, soon: Date) {
  return tx
    .selectFrom('signups as s')
    .innerJoin('activities as a', 'a.id', 's.activityId')
    .select(['s.id', 's.userId', 'a.id as activityId', 'a.title', 'a.startsAt', 'a.place'])
    .where('s.status', '=', 'confirmed')
    .where('s.remindedAt', 'is', null)
    .where('a.status', '=', 'scheduled')
    .where('a.startsAt', '>', now)
    .where('a.startsAt', '<=', soon)
    .forUpdate('s')
    .skipLocked()
    .limit(1000)
    .execute();
}

export async function markReminded(tx: Tx, signupIds: string[], now: Date): Promise<void> {
  if (!signupIds.length) return;
  await tx.updateTable('signups').set({ remindedAt: now }).where('id', 'in', signupIds).execute();
}
