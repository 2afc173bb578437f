import { Type } from 'typebox';
import { EmptyBody, PeoplePage, PeopleQuery, type PersonRoleView } from '@tongxin/shared';
import {
  deleteRoleAssignment,
  findPlace,
  findRoleAssignment,
  holdsRoleOver,
  listRolesAt,
  placeAndBelow,
  writeAudit,
  type PersonRole,
  type User,
} from '@tongxin/db';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { IdParams } from '../http/params.ts';
import { requireUser, say } from '../http/request-context.ts';
import type { App } from '../http/types.ts';

const MANAGERS = ['secretary', 'organiser'] as const;

/**
 * People and roles (成员与角色): a secretary sees who holds which role in their place and
 * below, and revokes one. Revoking closes the person's live sockets that depended on it
 * (`app.live.recheckUser`) and tells them in their bell.
 */
export async function peopleRoutes(app: App) {
  const tags = ['people'];

  app.get(
    '/places/:placeId/people',
    {
      schema: {
        tags,
        description: 'Roles held at this place and below; for its secretaries and organisers.',
        params: Type.Object({ placeId: Type.String({ format: 'uuid' }) }),
        querystring: PeopleQuery,
        response: { 200: PeoplePage, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const place = await findPlace(app.db, request.params.placeId);
      if (!place) throw new AppError(404, 'not_found', undefined, 'placeId');
      if (!(await holdsRoleOver(app.db, user.id, [...MANAGERS], place.id)))
        throw new AppError(
          403,
          'forbidden',
          say(
            request,
            '只有本地的书记或区组织部可以查看成员名单。',
            'Only this place’s secretaries or the district organiser can see who holds roles here.',
          ),
        );
      const organiser = await holdsRoleOver(app.db, user.id, ['organiser'], place.id);
      const { query } = request;
      const page = await listRolesAt(app.db, await placeAndBelow(app.db, place.id), {
        ...(query.role ? { role: query.role } : {}),
        ...(query.q?.trim() ? { q: query.q.trim() } : {}),
        limit: Number(query.limit ?? 50),
        offset: Number(query.offset ?? 0),
      });
      return {
        total: page.total,
        items: page.items.map((r) => toView(r, user, organiser)),
      };
    },
  );

  app.delete(
    '/roles/:id',
    {
      schema: {
        tags,
        description:
          'Revokes one role. The person’s live documents that depended on it close at once.',
        params: IdParams,
        body: EmptyBody,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const assignment = await findRoleAssignment(app.db, request.params.id);
      if (!assignment) throw new AppError(404, 'not_found');
      const allowed = assignment.role === 'organiser' ? ['organiser' as const] : [...MANAGERS];
      if (!(await holdsRoleOver(app.db, user.id, allowed, assignment.placeId)))
        throw new AppError(
          403,
          'forbidden',
          assignment.role === 'organiser'
            ? say(
                request,
                '只有上级组织部可以撤销组织部的角色。',
                'Only an organiser above them can revoke an organiser’s role.',
              )
            : say(
                request,
                '只有该地的书记或区组织部可以撤销这个角色。',
                'Only a secretary of that place or the district organiser can revoke this role.',
              ),
        );
      if (assignment.userId === user.id) throw new AppError(409, 'own_role');
      const place = await findPlace(app.db, assignment.placeId);
      await app.db.transaction().execute(async (tx) => {
        // Two secretaries revoking at once: one deletes, the other finds it gone.
        if (!(await deleteRoleAssignment(tx, assignment.id))) throw new AppError(404, 'not_found');
        await writeAudit(tx, {
          actorId: user.id,
          action: 'role.revoke',
          targetType: 'role_assignment',
          targetId: assignment.id,
          details: {
            userId: assignment.userId,
            role: assignment.role,
            placeId: assignment.placeId,
            unitId: assignment.unitId,
          },
        });
        await app.notifications.send(tx, [assignment.userId], 'role_revoked', {
          role: assignment.role,
          place: place?.name ?? '',
        });
      });
      // Sockets that needed the role close now (4403), or reopen with what is left (4000).
      await app.live.recheckUser(assignment.userId);
      await app.notifications.refresh([assignment.userId]);
      return reply.status(204).send(null);
    },
  );
}

function toView(r: PersonRole, viewer: User, organiser: boolean): PersonRoleView {
  return {
    id: r.id,
    user: { id: r.userId, displayName: r.displayName, username: r.username },
    role: r.role,
    place: { id: r.placeId, name: r.placeName, kind: r.placeKind },
    unit:
      r.unitId && r.unitName && r.unitKind
        ? { id: r.unitId, name: r.unitName, kind: r.unitKind }
        : null,
    since: r.createdAt.toISOString(),
    revocable: r.userId !== viewer.id && (r.role !== 'organiser' || organiser),
  };
}
