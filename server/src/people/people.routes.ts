import { Type } from 'typebox';
import { EmptyBody } from '@tongxin/shared/auth.schemas';
import { PeoplePage, PeopleQuery, type PersonRoleView } from '@tongxin/shared/people.schemas';
import type { User } from '@tongxin/db/database';
import { findPlace } from '@tongxin/db/places/places.queries';
import { listRolesAt, placeAndBelow, type PersonRole } from '@tongxin/db/places/roles.queries';
import { holdsRoleOver } from '@tongxin/db/users/roles.queries';
import { AppError, refuse } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { IdParams } from '../http/params.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { MANAGERS, revokeRole } from './roles.commands.ts';

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
        throw refuse('people_for_managers');
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
      await revokeRole(app, request, { assignmentId: request.params.id });
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
