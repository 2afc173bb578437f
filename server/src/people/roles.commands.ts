import { findPlace } from '@tongxin/db/places/places.queries';
import { deleteRoleAssignment, findRoleAssignment } from '@tongxin/db/places/roles.queries';
import { holdsRoleOver } from '@tongxin/db/users/roles.queries';
import { AppError, refuse } from '../http/app-error.ts';
import { defineCommand } from '../http/command.ts';
import { requireUser } from '../http/request-context.ts';

export const MANAGERS = ['secretary', 'organiser'] as const;

/**
 * Revokes one role (撤销角色). The person hears in their bell, and their live sockets that
 * depended on the role close at once (`app.live.recheckUser`).
 */
export const revokeRole = defineCommand({
  async load(app, request, input: { assignmentId: string }) {
    const user = requireUser(request);
    const assignment = await findRoleAssignment(app.db, input.assignmentId);
    if (!assignment) throw new AppError(404, 'not_found');
    // An organiser's role only from above them; any other from the place's managers.
    const allowed = assignment.role === 'organiser' ? ['organiser' as const] : [...MANAGERS];
    const [manages, place] = await Promise.all([
      holdsRoleOver(app.db, user.id, allowed, assignment.placeId),
      findPlace(app.db, assignment.placeId),
    ]);
    return { user, assignment, manages, place, notifier: app.notifications };
  },
  authorise({ user, assignment, manages }) {
    if (!manages)
      throw refuse(
        assignment.role === 'organiser' ? 'revoke_organiser_from_above' : 'revoke_by_manager',
      );
    if (assignment.userId === user.id) throw refuse('own_role');
  },
  lock: async () => undefined,
  async run(tx, { assignment, place, notifier }) {
    // Two secretaries revoking at once: one deletes, the other finds it gone.
    if (!(await deleteRoleAssignment(tx, assignment.id))) throw new AppError(404, 'not_found');
    await notifier.send(tx, [assignment.userId], 'role_revoked', {
      role: assignment.role,
      place: place?.name ?? '',
    });
  },
  audit: {
    action: 'role.revoke',
    entry: ({ user, assignment }) => ({
      actorId: user.id,
      targetType: 'role_assignment',
      targetId: assignment.id,
      details: {
        userId: assignment.userId,
        role: assignment.role,
        placeId: assignment.placeId,
        unitId: assignment.unitId,
      },
    }),
  },
  async effects(app, { assignment }) {
    // Sockets that needed the role close now (4403), or reopen with what is left (4000).
    await app.live.recheckUser(assignment.userId);
    await app.notifications.refresh([assignment.userId]);
  },
});
