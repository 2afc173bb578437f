import type { AuditEntry } from '@tongxin/db/audit/audit.queries';
import type { DbOrTx } from '@tongxin/db/create-db';
import {
  consumeInvitation,
  findInvitationByCode,
  type InvitationDetail,
} from '@tongxin/db/invitations/invitations.queries';
import { assignRole } from '@tongxin/db/places/places.queries';
import { refuse } from '../http/app-error.ts';

/** Refuses an invitation that cannot be used, with the reason a person needs. */
export function assertUsable(
  invitation: InvitationDetail | undefined,
  now: Date,
): InvitationDetail {
  if (!invitation) throw refuse('invitation_invalid');
  if (invitation.expiresAt <= now) throw refuse('invitation_expired');
  if (invitation.usedCount >= invitation.maxUses) throw refuse('invitation_used_up');
  return invitation;
}

/**
 * Gives the user the invited role, inside the caller's transaction (accepting, or
 * registering with a code). Returns the invitation, for the caller's audit row.
 */
export async function useInvitation(
  tx: DbOrTx,
  userId: string,
  code: string,
): Promise<InvitationDetail> {
  const now = new Date();
  const invitation = assertUsable(await findInvitationByCode(tx, code), now);
  const assignmentId = await assignRole(tx, {
    userId,
    role: invitation.role,
    placeId: invitation.placeId,
    unitId: invitation.unitId,
  });
  if (!assignmentId) throw refuse('already_has_role');
  // The guarded update decides races for the last use; the loser's role insert rolls back.
  if (!(await consumeInvitation(tx, invitation.id, now))) throw refuse('invitation_used_up');
  return invitation;
}

/** The audit row of an accepted invitation. */
export function acceptedEntry(
  userId: string,
  invitation: InvitationDetail,
): Omit<AuditEntry, 'action'> {
  return {
    actorId: userId,
    targetType: 'invitation',
    targetId: invitation.id,
    details: { role: invitation.role, placeId: invitation.placeId, unitId: invitation.unitId },
  };
}
