import type { MarkReadBody } from '@tongxin/shared/notifications/notifications';
import { markNotificationsRead } from '@tongxin/db/notifications/notifications.queries';
import { defineCommand } from '../http/command.ts';
import { requireUser } from '../http/request-context.ts';

/** Marks the given notifications of mine read, or all of them. */
export const markRead = defineCommand({
  load: async (_app, request) => ({ user: requireUser(request) }),
  // Only one's own: the query is scoped to the caller.
  authorise: () => {},
  lock: async () => undefined,
  async run(tx, { user }, _locked, body: MarkReadBody) {
    await markNotificationsRead(tx, user.id, body.ids);
  },
  audit: {
    exempt: 'reading one’s own bell changes nothing anyone else sees or relies on',
  },
  async effects(app, { user }) {
    await app.notifications.refresh([user.id]);
  },
});
