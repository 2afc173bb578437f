import { randomBytes } from 'node:crypto';
import { Type } from 'typebox';
import {
  AcceptInvitationBody,
  CreateInvitationBody,
  INVITABLE_BY_SECRETARY,
  InvitationCode,
  InvitationView,
  MeView,
  UNIT_SCOPED_ROLES,
} from '@tongxin/shared';
import {
  findInvitationByCode,
  findPlace,
  findUnit,
  holdsRoleOver,
  insertInvitation,
  listPlaceInvitations,
  writeAudit,
  type InvitationDetail,
  type User,
} from '@tongxin/db';
import { loadMeView } from '../auth/me-view.ts';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requireUser, say } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { acceptInvitation, assertUsable } from './accept-invitation.ts';

const DEFAULT_DAYS = 14;

function toView(i: InvitationDetail) {
  return {
    code: i.code,
    role: i.role,
    place: { id: i.placeId, name: i.placeName, kind: i.placeKind },
    unit:
      i.unitId && i.unitName && i.unitKind
        ? { id: i.unitId, name: i.unitName, kind: i.unitKind }
        : null,
    invitedBy: i.invitedByName,
    note: i.note,
    maxUses: i.maxUses,
    usedCount: i.usedCount,
    expiresAt: i.expiresAt.toISOString(),
  };
}

/** Secretaries invite within their place and below; the district organiser anywhere below theirs. */
async function assertMayInvite(app: App, user: User, placeId: string) {
  const place = await findPlace(app.db, placeId);
  if (!place) throw new AppError(404, 'not_found', undefined, 'placeId');
  if (!(await holdsRoleOver(app.db, user.id, ['secretary', 'organiser'], placeId))) {
    throw new AppError(403, 'forbidden');
  }
}

export async function invitationRoutes(app: App) {
  const tags = ['invitations'];

  app.post(
    '/invitations',
    {
      schema: {
        tags,
        body: CreateInvitationBody,
        response: { 201: InvitationView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const body = request.body;
      await assertMayInvite(app, user, body.placeId);
      const isOrganiser = await holdsRoleOver(app.db, user.id, ['organiser'], body.placeId);
      if (!isOrganiser && !INVITABLE_BY_SECRETARY.includes(body.role))
        throw new AppError(403, 'forbidden', undefined, 'role');
      const needsUnit = UNIT_SCOPED_ROLES.includes(body.role);
      if (needsUnit !== (body.unitId !== undefined)) {
        const en = request.user?.locale === 'en';
        throw new AppError(
          400,
          'validation_failed',
          needsUnit
            ? en
              ? 'Choose the unit this representative speaks for.'
              : '请选择该代表所属的单位。'
            : en
              ? 'Only unit representatives belong to a unit.'
              : '只有报到单位代表需要选择单位。',
          'unitId',
        );
      }
      if (body.unitId && !(await findUnit(app.db, body.unitId)))
        throw new AppError(404, 'not_found', undefined, 'unitId');
      const code = randomBytes(16).toString('base64url');
      const expiresAt = new Date(Date.now() + (body.expiresInDays ?? DEFAULT_DAYS) * 86_400_000);
      await app.db.transaction().execute(async (tx) => {
        const id = await insertInvitation(tx, {
          code,
          role: body.role,
          placeId: body.placeId,
          unitId: body.unitId ?? null,
          invitedBy: user.id,
          note: body.note?.trim() || null,
          maxUses: body.maxUses ?? 1,
          expiresAt,
        });
        await writeAudit(tx, {
          actorId: user.id,
          action: 'invitation.create',
          targetType: 'invitation',
          targetId: id,
          details: { role: body.role, placeId: body.placeId },
        });
      });
      const created = await findInvitationByCode(app.db, code);
      return reply.status(201).send(toView(created!));
    },
  );

  app.get(
    '/places/:placeId/invitations',
    {
      schema: {
        tags,
        params: Type.Object({ placeId: Type.String({ format: 'uuid' }) }),
        response: { 200: Type.Array(InvitationView), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await assertMayInvite(app, user, request.params.placeId);
      return (await listPlaceInvitations(app.db, request.params.placeId)).map(toView);
    },
  );

  app.get(
    '/invitations/:code',
    {
      schema: {
        tags,
        params: Type.Object({ code: InvitationCode }),
        response: { 200: InvitationView, ...errors(400, 404, 410) },
      },
    },
    async (request) =>
      toView(assertUsable(await findInvitationByCode(app.db, request.params.code), new Date())),
  );

  app.post(
    '/invitations/accept',
    {
      schema: {
        tags,
        body: AcceptInvitationBody,
        response: { 200: MeView, ...errors(400, 401, 403, 404, 409, 410) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      // A roundtable guest's account holds no roles (the database refuses them too).
      if (user.kind === 'guest')
        throw new AppError(
          403,
          'forbidden',
          say(
            request,
            '访客身份不能接受邀请，请先注册自己的账号。',
            'A guest cannot accept an invitation; register an account of your own first.',
          ),
        );
      await app.db.transaction().execute((tx) => acceptInvitation(tx, user.id, request.body.code));
      // Open sockets reopen with the new role's rights (a reader who became a scribe writes).
      await app.live.recheckUser(user.id);
      return loadMeView(app.db, user);
    },
  );
}
