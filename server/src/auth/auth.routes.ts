import { Type } from 'typebox';
import {
  ChangePasswordBody,
  EmptyBody,
  LoginBody,
  MeView,
  RegisterBody,
  UpdateProfileBody,
} from '@tongxin/shared';
import {
  clearLoginFailures,
  confirmLoginFailure,
  findUserByLogin,
  insertUser,
  updateUser,
  writeAudit,
} from '@tongxin/db';
import type { FastifyReply } from 'fastify';
import type { Cookie } from 'lucia';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { acceptInvitation } from '../invitations/accept-invitation.ts';
import { perAddressBudget, startLoginAttempt } from './login-limits.ts';
import { loadMeView } from './me-view.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

function setCookie(reply: FastifyReply, cookie: Cookie) {
  reply.setCookie(cookie.name, cookie.value, cookie.attributes);
}

function uniqueViolation(error: unknown): string | null {
  const e = error as { code?: string; constraint?: string; detail?: string; message?: string };
  if (e.code !== '23505') return null;
  const text = `${e.constraint ?? ''} ${e.message ?? ''}`;
  return text.includes('phone') ? 'phone' : 'username';
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
      const body = request.body;
      const passwordHash = await hashPassword(body.password);
      const user = await app.db
        .transaction()
        .execute(async (tx) => {
          const created = await insertUser(tx, {
            username: body.username,
            displayName: body.displayName.trim(),
            phone: body.phone ?? null,
            passwordHash,
            locale: body.locale,
          });
          await writeAudit(tx, {
            actorId: created.id,
            action: 'user.register',
            targetType: 'user',
            targetId: created.id,
          });
          if (body.invitationCode) await acceptInvitation(tx, created.id, body.invitationCode);
          return created;
        })
        .catch((error: unknown) => {
          const field = uniqueViolation(error);
          if (field === 'phone') throw new AppError(409, 'phone_taken', undefined, 'phone');
          if (field) throw new AppError(409, 'username_taken', undefined, 'username');
          throw error;
        });
      setCookie(reply, await app.sessions.create(user.id));
      return reply.status(201).send(await loadMeView(app.db, user));
    },
  );

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
        throw new AppError(401, 'wrong_credentials');
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
      if (!(await verifyPassword(user.passwordHash, request.body.currentPassword))) {
        throw new AppError(400, 'wrong_password', undefined, 'currentPassword');
      }
      const passwordHash = await hashPassword(request.body.newPassword);
      await app.db.transaction().execute(async (tx) => {
        await updateUser(tx, user.id, { passwordHash });
        await writeAudit(tx, {
          actorId: user.id,
          action: 'user.change_password',
          targetType: 'user',
          targetId: user.id,
        });
      });
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
    async (request) => {
      const user = requireUser(request);
      const changes = {
        ...(request.body.displayName !== undefined
          ? { displayName: request.body.displayName.trim() }
          : {}),
        ...(request.body.locale !== undefined ? { locale: request.body.locale } : {}),
      };
      const updated = await app.db.transaction().execute(async (tx) => {
        const row = await updateUser(tx, user.id, changes);
        await writeAudit(tx, {
          actorId: user.id,
          action: 'user.update_profile',
          targetType: 'user',
          targetId: user.id,
          details: changes,
        });
        return row;
      });
      return loadMeView(app.db, updated ?? user);
    },
  );
}
