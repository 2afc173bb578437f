import type { FastifyInstance } from 'fastify';
import { findUserById } from '@tongxin/db';
import { isApiRequest, isLiveRequest } from '../http/request-context.ts';
import type { Sessions } from './sessions.ts';

/** Resolves the session cookie into `request.user` for API and live-document requests. */
export function registerSessionHook(app: FastifyInstance, sessions: Sessions) {
  app.decorateRequest('user', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('onRequest', async (request, reply) => {
    const live = isLiveRequest(request);
    if (!live && !isApiRequest(request)) return;
    const token = request.cookies[sessions.cookieName];
    if (!token) return;
    // realtime: upgrades reuse a session validated in the last seconds, one database check
    // per burst (app.live evicts it on logout and password change; a 101 sets no cookie).
    if (live) {
      const user = await app.live.sessionCache.resolve(token, async () => {
        const valid = await sessions.validate(token);
        return valid ? ((await findUserById(app.db, valid.userId)) ?? null) : null;
      });
      if (user) {
        request.user = user;
        request.sessionToken = token;
      }
      return;
    }
    const session = await sessions.validate(token);
    if (!session) {
      const blank = sessions.blankCookie();
      reply.setCookie(blank.name, blank.value, blank.attributes);
      return;
    }
    const user = await findUserById(app.db, session.userId);
    if (!user) return;
    request.user = user;
    request.sessionToken = token;
    if (session.refreshedCookie) {
      const c = session.refreshedCookie;
      reply.setCookie(c.name, c.value, c.attributes);
    }
  });
}
