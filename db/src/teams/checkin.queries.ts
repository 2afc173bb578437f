import type { Tx } from '../create-db.ts';
import type { Attendance } from '@tongxin/shared/teams/teams';
import type { Signup } from './teams.tables.ts';

/** The sign-up, locked until the transaction ends: attendance and hours queue here. */
export function lockSignup(tx: Tx, id: string): Promise<Signup | undefined> {
  return tx.selectFrom('signups').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The person's confirmed place on the activity, locked; undefined if they hold none. */
export function lockConfirmedPlace(
  tx: Tx,
  activityId: string,
  userId: string,
): Promise<Signup | undefined> {
  return tx
    .selectFrom('signups')
    .selectAll()
    .where('activityId', '=', activityId)
    .where('userId', '=', userId)
    .where('status', '=', 'confirmed')
    .forUpdate()
    .executeTakeFirst();
}

/** Marks a place present (or absent, or pending again); any confirmed hours are cleared. */
export function setAttendance(
  tx: Tx,
  signupId: string,
  attendance: Attendance,
  by: string,
  now: Date,
): Promise<Signup> {
  return tx
    .updateTable('signups')
    .set({
      attendance,
      checkedInAt: attendance === 'present' ? now : null,
      checkedInBy: attendance === 'present' ? by : null,
      serviceMinutes: null,
      hoursConfirmedAt: null,
      hoursConfirmedBy: null,
    })
    .where('id', '=', signupId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setHours(
  tx: Tx,
  signupId: string,
  minutes: number,
  by: string,
  now: Date,
): Promise<void> {
  await tx
    .updateTable('signups')
    .set({ serviceMinutes: minutes, hoursConfirmedAt: now, hoursConfirmedBy: by })
    .where('id', '=', signupId)
    .execute();
}
