import { Type } from 'typebox';
import { InvitationCode, MeView } from '@tongxin/shared/auth.schemas';
import {
  AcceptInvitationBody,
  CreateInvitationBody,
  InvitationView,
} from '@tongxin/shared/invitations.schemas';
import {
  findInvitationByCode,
  listPlaceInvitations,
  type InvitationDetail,
} from '@tongxin/db/invitations/invitations.queries';
import { loadMeView } from '../auth/me-view.ts';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { assertUsable } from './accept-invitation.ts';
import { acceptInvitation, createInvitation, mayInvite } from './invitations.commands.ts';

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
      const { code } = await createInvitation(app, request, request.body);
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
      if (!(await mayInvite(app.db, user.id, request.params.placeId)))
        throw new AppError(403, 'forbidden');
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
      await acceptInvitation(app, request, request.body);
      return loadMeView(app.db, user);
    },
  );
}
