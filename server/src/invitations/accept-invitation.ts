import {
  assignRole,
  consumeInvitation,
  findInvitationByCode,
  writeAudit,
  type DbOrTx,
  type InvitationDetail,
} from '@tongxin/db';
import { AppError } from '../http/app-error.ts';

/** Refuses an invitation that cannot be used, with the reason a person needs. */
export function assertUsable(
  invitation: InvitationDetail | undefined,
  now: Date,
): InvitationDetail {
  if (!invitation) throw new AppError(404, 'invitation_invalid');
  if (invitation.expiresAt <= now) throw new AppError(410, 'invitation_expired');
  if (invitation.usedCount >= invitation.maxUses) throw new AppError(410, 'invitation_used_up');
  return invitation;
}

/** Gives the user the invited role. Runs inside the caller's transaction. */
export async function acceptInvitation(tx: DbOrTx, userId: string, code: string): Promise<void> {
  const now = new Date();
  const invitation = assertUsable(await findInvitationByCode(tx, code), now);
  const assignmentId = await assignRole(tx, {
    userId,
    role: invitation.role,
    placeId: invitation.placeId,
    unitId: invitation.unitId,
  });
  if (!assignmentId) throw new AppError(409, 'already_has_role');
  // The guarded update decides races for the last use; the loser's role insert rolls back.
  if (!(await consumeInvitation(tx, invitation.id, now)))
    throw new AppError(410, 'invitation_used_up');
  await writeAudit(tx, {
    actorId: userId,
    action: 'invitation.accept',
    targetType: 'invitation',
    targetId: invitation.id,
    details: { role: invitation.role, placeId: invitation.placeId, unitId: invitation.unitId },
  });
}
