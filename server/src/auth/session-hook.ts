import type { FastifyInstance } from 'fastify';
import { findUserById } from '@tongxin/db';
import type { Sessions } from './sessions.ts';

/** Resolves the session cookie into `request.user` for API and live-document requests. */
export function registerSessionHook(app: FastifyInstance, sessions: Sessions) {
  app.decorateRequest('user', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/') && !request.url.startsWith('/yjs/')) return;
    const token = request.cookies[sessions.cookieName];
    if (!token) return;
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
