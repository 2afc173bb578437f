import { randomBytes } from 'node:crypto';
import type {
  AcceptInvitationBody,
  CreateInvitationBody,
} from '@tongxin/shared/invitations.schemas';
import {
  INVITABLE_BY_SECRETARY,
  UNIT_SCOPED_ROLES,
  type PlaceKind,
  type Role,
} from '@tongxin/shared/roles';
import { insertInvitation } from '@tongxin/db/invitations/invitations.queries';
import { findPlace, findUnit } from '@tongxin/db/places/places.queries';
import { holdsRoleOver } from '@tongxin/db/users/roles.queries';
import { AppError, refuse } from '../http/app-error.ts';
import { defineCommand } from '../http/command.ts';
import { requireUser } from '../http/request-context.ts';
import { acceptedEntry, useInvitation } from './accept-invitation.ts';

const DEFAULT_DAYS = 14;

/** Secretaries invite within their place and below; the district organiser anywhere below theirs. */
export async function mayInvite(
  db: Parameters<typeof findPlace>[0],
  userId: string,
  placeId: string,
) {
  const place = await findPlace(db, placeId);
  if (!place) throw new AppError(404, 'not_found', undefined, 'placeId');
  return holdsRoleOver(db, userId, ['secretary', 'organiser'], placeId);
}

/** Roles held at one kind of place only: a grid worker answers one grid's reports. */
const PLACE_KIND_OF_ROLE: Partial<Record<Role, PlaceKind>> = { grid_worker: 'grid' };

/** A secretary or the organiser invites someone into a role at a place (邀请). */
export const createInvitation = defineCommand({
  async load(app, request, body: CreateInvitationBody) {
    const user = requireUser(request);
    const [manager, organiser, place] = await Promise.all([
      mayInvite(app.db, user.id, body.placeId),
      holdsRoleOver(app.db, user.id, ['organiser'], body.placeId),
      findPlace(app.db, body.placeId),
    ]);
    return { user, manager, organiser, placeKind: place?.kind };
  },
  authorise({ manager, organiser, placeKind }, body) {
    if (!manager) throw new AppError(403, 'forbidden');
    if (!organiser && !INVITABLE_BY_SECRETARY.includes(body.role))
      throw new AppError(403, 'forbidden', undefined, 'role');
    const kind = PLACE_KIND_OF_ROLE[body.role];
    if (kind && placeKind !== kind) throw refuse('grid_worker_needs_grid', {}, 'placeId');
    const needsUnit = UNIT_SCOPED_ROLES.includes(body.role);
    if (needsUnit && body.unitId === undefined) throw refuse('invitation_needs_unit', {}, 'unitId');
    if (!needsUnit && body.unitId !== undefined) throw refuse('unit_only_for_reps', {}, 'unitId');
  },
  lock: async () => undefined,
  async run(tx, { user }, _locked, body) {
    if (body.unitId && !(await findUnit(tx, body.unitId)))
      throw new AppError(404, 'not_found', undefined, 'unitId');
    const code = randomBytes(16).toString('base64url');
    const id = await insertInvitation(tx, {
      code,
      role: body.role,
      placeId: body.placeId,
      unitId: body.unitId ?? null,
      invitedBy: user.id,
      note: body.note?.trim() || null,
      maxUses: body.maxUses ?? 1,
      expiresAt: new Date(Date.now() + (body.expiresInDays ?? DEFAULT_DAYS) * 86_400_000),
    });
    return { id, code };
  },
  audit: {
    action: 'invitation.create',
    entry: ({ user }, body, { id }) => ({
      actorId: user.id,
      targetType: 'invitation',
      targetId: id,
      details: { role: body.role, placeId: body.placeId },
    }),
  },
});

/** A signed-in person takes the role an invitation offers. */
export const acceptInvitation = defineCommand({
  load: async (_app, request) => ({ user: requireUser(request) }),
  authorise({ user }) {
    // A roundtable guest's account holds no roles (the database refuses them too).
    if (user.kind === 'guest') throw refuse('guest_cannot_accept');
  },
  lock: async () => undefined,
  run: (tx, { user }, _locked, body: AcceptInvitationBody) => useInvitation(tx, user.id, body.code),
  audit: {
    action: 'invitation.accept',
    entry: ({ user }, _body, invitation) => acceptedEntry(user.id, invitation),
  },
  async effects(app, { user }) {
    // Open sockets reopen with the new role's rights (a reader who became a scribe writes).
    await app.live.recheckUser(user.id);
  },
});
