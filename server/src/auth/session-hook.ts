import type { FastifyInstance, FastifyRequest } from 'fastify';
import { onPriorityLane } from '@tongxin/db/lanes';
import { isApiRequest, isLiveRequest } from '../http/request-context.ts';
import type { Sessions } from './sessions.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route needs no user (health, the API description): no session lookup at all. */
    sessionless?: boolean;
  }
}

const sessionless = (request: FastifyRequest) => request.routeOptions.config.sessionless === true;

/**
 * Resolves the session cookie into `request.user` for API and live-document requests: one
 * statement (session joined to user), plus a write when the sliding expiry moves on.
 */
export function registerSessionHook(app: FastifyInstance, sessions: Sessions) {
  app.decorateRequest('user', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('onRequest', async (request, reply) => {
    const live = isLiveRequest(request);
    if (!live && (!isApiRequest(request) || sessionless(request))) return;
    const token = request.cookies[sessions.cookieName];
    if (!token) return;
    // realtime: upgrades reuse a session validated in the last seconds, one database check
    // per burst (app.live evicts it on logout and password change; a 101 sets no cookie).
    if (live) {
      const user = await app.live.sessionCache.resolve(
        token,
        async () => (await sessions.validate(token))?.user ?? null,
      );
      if (user) {
        request.user = user;
        request.sessionToken = token;
      }
      return;
    }
    // A chair's session (sessions.prioritise) is checked on the priority lane.
    const session = sessions.isPriority(token)
      ? await onPriorityLane(() => sessions.validate(token))
      : await sessions.validate(token);
    if (!session) {
      const blank = sessions.blankCookie();
      reply.setCookie(blank.name, blank.value, blank.attributes);
      return;
    }
    request.user = session.user;
    request.sessionToken = token;
    if (session.refreshedCookie) {
      const c = session.refreshedCookie;
      reply.setCookie(c.name, c.value, c.attributes);
    }
  });
}
