import { dueReminders, markReminded } from '@tongxin/db/teams/activities.queries';
import type { App } from '../http/types.ts';
import { activityLink } from './command.ts';

/**
 * 活动提醒: tells everyone holding a place on an activity that starts within a day, once
 * (`reminded_at` marks it, in the same transaction). Returns how many were reminded.
 * A job of the server's own, not a command: nobody asks, and the notifications are its record.
 */
export async function sendDueReminders(app: App, now = new Date()): Promise<number> {
  const soon = new Date(now.getTime() + 24 * 3600_000);
  const told = await app.db.transaction().execute(async (tx) => {
    const due = await dueReminders(tx, now, soon);
    for (const d of due)
      await app.notifications.send(
        tx,
        [d.userId],
        'activity_reminder',
        { title: d.title, startsAt: d.startsAt.toISOString(), place: d.place },
        activityLink(d.activityId),
      );
    await markReminded(
      tx,
      due.map((d) => d.id),
      now,
    );
    return due.map((d) => d.userId);
  });
  void app.notifications.refresh(told);
  return told.length;
}
