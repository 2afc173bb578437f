import { Type } from 'typebox';
import { Inbox, MarkReadBody } from '@tongxin/shared/notifications/notifications';
import { markNotificationsRead } from '@tongxin/db';
import { errors } from '../http/error-responses.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { loadInbox } from './notifier.ts';

const tags = ['notifications'];

export async function notificationRoutes(app: App) {
  app.get(
    '/me/notifications',
    {
      schema: {
        tags,
        description: 'My latest notifications and the unread count. Live as `inbox:<my id>`.',
        querystring: Type.Object(
          { limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]?|100)$' })) },
          { additionalProperties: false },
        ),
        response: { 200: Inbox, ...errors(400, 401) },
      },
    },
    async (request) =>
      loadInbox(app.db, requireUser(request).id, Number(request.query.limit ?? 50)),
  );

  app.post(
    '/me/notifications/read',
    {
      schema: {
        tags,
        description: 'Marks the given notifications of mine read, or all of them.',
        body: MarkReadBody,
        response: { 200: Inbox, ...errors(400, 401) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await markNotificationsRead(app.db, user.id, request.body.ids);
      await app.notifications.refresh([user.id]);
      return loadInbox(app.db, user.id, 50);
    },
  );
}
