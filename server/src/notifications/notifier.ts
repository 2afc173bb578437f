import { inboxDoc } from '@tongxin/shared/live/documents';
import {
  type Inbox,
  type NotificationKind,
  type NotificationParamsOf,
  type NotificationView,
} from '@tongxin/shared/notifications/notifications';
import type { DbOrTx } from '@tongxin/db/create-db';
import {
  insertNotifications,
  latestNotifications,
} from '@tongxin/db/notifications/notifications.queries';
import type { NotificationRow } from '@tongxin/db/notifications/notifications.tables';
import type { App } from '../http/types.ts';

const LATEST = 20;

export const toNotificationView = (n: NotificationRow): NotificationView => ({
  id: n.id,
  kind: n.kind as NotificationKind,
  params: n.params,
  link: n.link,
  read: n.readAt !== null,
  createdAt: n.createdAt.toISOString(),
});

export async function loadInbox(db: DbOrTx, userId: string, limit = LATEST): Promise<Inbox> {
  const { unread, items } = await latestNotifications(db, userId, limit);
  return { unread, items: items.map(toNotificationView) };
}

/**
 * The app's one way to tell people something. `send` writes inside the caller's
 * transaction (so a rolled-back command tells nobody); after the commit, `refresh` brings
 * each recipient's bell (their own live `inbox:<userId>` document) up to date.
 */
export interface Notifier {
  send<K extends NotificationKind>(
    tx: DbOrTx,
    userIds: readonly string[],
    kind: K,
    params: NotificationParamsOf<K>,
    link?: string,
  ): Promise<void>;
  refresh(userIds: readonly string[]): Promise<void>;
}

export function createNotifier(app: App): Notifier {
  // A projection of the person's notifications, rebuilt on load and after each `refresh`.
  const inboxes = app.live.registerProjection({
    prefix: inboxDoc.prefix,
    // Nobody reads another person's inbox, not even a secretary.
    access: (user, userId) => (userId === user.id ? 'read' : 'none'),
    project: async (userId) => ({ inbox: { data: await loadInbox(app.db, userId) } }),
  });
  return {
    send: (tx, userIds, kind, params, link) =>
      insertNotifications(tx, userIds, { kind, params, link: link ?? null }),
    async refresh(userIds) {
      await Promise.all([...new Set(userIds)].map((id) => inboxes.publish(id)));
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    notifications: Notifier;
  }
}
