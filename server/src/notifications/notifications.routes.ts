import { Type } from 'typebox';
import { Inbox, MarkReadBody } from '@tongxin/shared/notifications/notifications';
import { errors } from '../http/error-responses.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { markRead } from './notifications.commands.ts';
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
      await markRead(app, request, request.body);
      return loadInbox(app.db, requireUser(request).id, 50);
    },
  );
}
