import type { DbOrTx } from '../create-db.ts';
import type { NotificationRow } from './notifications.tables.ts';

export interface NewNotification {
  kind: string;
  params: Record<string, string>;
  link: string | null;
}

/** Writes one notification per recipient, inside the caller's transaction. */
export async function insertNotifications(
  db: DbOrTx,
  userIds: readonly string[],
  n: NewNotification,
): Promise<void> {
  const unique = [...new Set(userIds)];
  if (!unique.length) return;
  await db
    .insertInto('notifications')
    .values(
      unique.map((userId) => ({
        userId,
        kind: n.kind,
        params: JSON.stringify(n.params),
        link: n.link,
      })),
    )
    .execute();
}

export async function latestNotifications(
  db: DbOrTx,
  userId: string,
  limit: number,
): Promise<{ unread: number; items: NotificationRow[] }> {
  const [items, unread] = await Promise.all([
    db
      .selectFrom('notifications')
      .selectAll()
      .where('userId', '=', userId)
      .orderBy('createdAt', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute(),
    db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('userId', '=', userId)
      .where('readAt', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  return { unread: Number(unread.n), items };
}

/** Marks the given notifications (or all) of one user read; others' ids are ignored. */
export async function markNotificationsRead(
  db: DbOrTx,
  userId: string,
  ids?: readonly string[],
): Promise<void> {
  let q = db
    .updateTable('notifications')
    .set({ readAt: new Date() })
    .where('userId', '=', userId)
    .where('readAt', 'is', null);
  if (ids) {
    if (!ids.length) return;
    q = q.where('id', 'in', ids);
  }
  await q.execute();
}
