import { Type } from 'typebox';
import {
  ChangePasswordBody,
  EmptyBody,
  LoginBody,
  MeView,
  RegisterBody,
  UpdateProfileBody,
} from '@tongxin/shared/auth.schemas';
import { writeAudit } from '@tongxin/db/audit/audit.queries';
import { clearLoginFailures, confirmLoginFailure } from '@tongxin/db/users/login-failures.queries';
import { findUserByLogin } from '@tongxin/db/users/users.queries';
import type { FastifyReply } from 'fastify';
import type { Cookie } from 'lucia';
import { refuse } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { perAddressBudget, startLoginAttempt } from './login-limits.ts';
import { loadMeView } from './me-view.ts';
import { verifyPassword } from './passwords.ts';
import { changePassword, register, updateProfile } from './users.commands.ts';

function setCookie(reply: FastifyReply, cookie: Cookie) {
  reply.setCookie(cookie.name, cookie.value, cookie.attributes);
}

export interface AuthOptions {
  /** Logins, and registrations, per address in ten minutes (tests shrink it). */
  attemptsPerAddress?: number | undefined;
}

export async function authRoutes(app: App, options: AuthOptions) {
  const tags = ['auth'];

  app.post(
    '/register',
    {
      schema: {
        tags,
        body: RegisterBody,
        response: { 201: MeView, ...errors(400, 403, 404, 409, 410, 413, 429) },
      },
      config: perAddressBudget('register', options.attemptsPerAddress),
    },
    async (request, reply) => {
      const user = await register(app, request, request.body);
      setCookie(reply, await app.sessions.create(user.id));
      return reply.status(201).send(await loadMeView(app.db, user));
    },
  );

  /*
   * Logging in is not a command: it changes no record anyone shares. A failure is recorded
   * in login_failures (counted before the password is checked, login-limits.ts), which is
   * what the limits read; a success clears them and is written to the audit log.
   */
  app.post(
    '/login',
    {
      schema: { tags, body: LoginBody, response: { 200: MeView, ...errors(400, 401, 403, 429) } },
      config: perAddressBudget('login', options.attemptsPerAddress),
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const key = username.trim().toLowerCase();
      const attemptId = await startLoginAttempt(app.db, request, reply, key, app.now());
      const found = await findUserByLogin(app.db, username.trim());
      // A guest of a roundtable came by its link and has no password: never a login.
      const user = found?.kind === 'guest' ? undefined : found;
      if (!(await verifyPassword(user?.passwordHash, password)) || !user) {
        await confirmLoginFailure(app.db, attemptId, request.ip);
        throw refuse('wrong_credentials');
      }
      await clearLoginFailures(app.db, key);
      await writeAudit(app.db, {
        actorId: user.id,
        action: 'auth.login',
        targetType: 'user',
        targetId: user.id,
      });
      setCookie(reply, await app.sessions.create(user.id));
      return loadMeView(app.db, user);
    },
  );

  app.post(
    '/logout',
    { schema: { tags, body: EmptyBody, response: { 204: Type.Null(), ...errors(400, 403) } } },
    async (request, reply) => {
      if (request.sessionToken) {
        await app.sessions.invalidate(request.sessionToken);
        // realtime: that session's live sockets close too.
        app.live.closeSession(request.sessionToken);
      }
      setCookie(reply, app.sessions.blankCookie());
      return reply.status(204).send(null);
    },
  );

  app.get('/me', { schema: { tags, response: { 200: MeView, ...errors(401) } } }, async (request) =>
    loadMeView(app.db, requireUser(request)),
  );

  // "Who is signed in, if anyone?" Signed out is an answer, not an error: the web app asks this
  // on every page load, and a 401 there would put an error in the browser's console each time.
  app.get(
    '/session',
    { schema: { tags, response: { 200: Type.Object({ me: Type.Union([MeView, Type.Null()]) }) } } },
    async (request) => ({ me: request.user ? await loadMeView(app.db, request.user) : null }),
  );

  app.post(
    '/password',
    {
      schema: {
        tags,
        body: ChangePasswordBody,
        response: { 204: Type.Null(), ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await changePassword(app, request, request.body);
      // Every other device is signed out; this one keeps working.
      await app.sessions.invalidateUser(user.id, request.sessionToken ?? undefined);
      // realtime: and their live sockets.
      app.live.closeUserSessions(user.id, request.sessionToken ?? undefined);
      return reply.status(204).send(null);
    },
  );
}

export async function profileRoutes(app: App) {
  app.patch(
    '/me',
    {
      schema: {
        tags: ['auth'],
        body: UpdateProfileBody,
        response: { 200: MeView, ...errors(400, 401, 403) },
      },
    },
    async (request) => loadMeView(app.db, await updateProfile(app, request, request.body)),
  );
}
