import type { App } from '../http/types.ts';
import { activityLink } from './activities.routes.ts';

/**
 * 活动提醒: tells everyone holding a place on a shift that starts within a day, once
 * (`reminded_at` marks it, in the same transaction). Returns how many were reminded.
 */
export async function sendDueReminders(app: App, now = new Date()): Promise<number> {
  const soon = new Date(now.getTime() + 24 * 3600_000);
  const told = await app.db.transaction().execute(async (tx) => {
    const due = await tx
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
    for (const d of due)
      await app.notifications.send(
        tx,
        [d.userId],
        'shift_reminder',
        { title: d.title, startsAt: d.startsAt.toISOString(), place: d.place },
        activityLink(d.activityId),
      );
    if (due.length)
      await tx
        .updateTable('signups')
        .set({ remindedAt: now })
        .where(
          'id',
          'in',
          due.map((d) => d.id),
        )
        .execute();
    return due.map((d) => d.userId);
  });
  void app.notifications.refresh(told);
  return told.length;
}
