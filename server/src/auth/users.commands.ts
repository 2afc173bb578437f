import type { RegisterBody, UpdateProfileBody } from '@tongxin/shared/auth.schemas';
import { writeAudit } from '@tongxin/db/audit/audit.queries';
import type { User } from '@tongxin/db/database';
import { insertUser, updateUser } from '@tongxin/db/users/users.queries';
import { refuse } from '../http/app-error.ts';
import { defineCommand } from '../http/command.ts';
import { requireUser } from '../http/request-context.ts';
import { acceptedEntry, useInvitation } from '../invitations/accept-invitation.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

/** Which unique index a failed insert hit: the phone's or the username's. */
function takenField(error: unknown): 'phone' | 'username' | null {
  const e = error as { code?: string; constraint?: string; message?: string };
  if (e.code !== '23505') return null;
  const text = `${e.constraint ?? ''} ${e.message ?? ''}`;
  return text.includes('phone') ? 'phone' : 'username';
}

/** 注册: a new account, and with an invitation code its role, in one transaction. */
export const register = defineCommand({
  // Hashing is slow on purpose: done before the transaction, which then stays short.
  load: async (_app, _request, body: RegisterBody) => ({
    passwordHash: await hashPassword(body.password),
  }),
  authorise: () => {},
  lock: async () => undefined,
  async run(tx, { passwordHash }, _locked, body): Promise<User> {
    let created: User;
    try {
      created = await insertUser(tx, {
        username: body.username,
        displayName: body.displayName.trim(),
        phone: body.phone ?? null,
        passwordHash,
        locale: body.locale,
      });
    } catch (error) {
      const field = takenField(error);
      if (field === 'phone') throw refuse('phone_taken', {}, 'phone');
      if (field) throw refuse('username_taken', {}, 'username');
      throw error;
    }
    if (body.invitationCode) {
      const invitation = await useInvitation(tx, created.id, body.invitationCode);
      // Registering with a code is also accepting it: its own audit row, as acceptInvitation.
      await writeAudit(tx, {
        action: 'invitation.accept',
        ...acceptedEntry(created.id, invitation),
      });
    }
    return created;
  },
  audit: {
    action: 'user.register',
    entry: (_ctx, _body, user) => ({ actorId: user.id, targetType: 'user', targetId: user.id }),
  },
});

/**
 * A new password, the current one proving who asks. Signing the other devices out is the
 * route's part (sessions and sockets), after the commit.
 */
export const changePassword = defineCommand({
  async load(_app, request, body: { currentPassword: string; newPassword: string }) {
    const user = requireUser(request);
    // Checked and hashed before the transaction (both slow on purpose).
    if (!(await verifyPassword(user.passwordHash, body.currentPassword)))
      throw refuse('wrong_password', {}, 'currentPassword');
    return { user, passwordHash: await hashPassword(body.newPassword) };
  },
  authorise: () => {},
  lock: async () => undefined,
  async run(tx, { user, passwordHash }) {
    await updateUser(tx, user.id, { passwordHash });
  },
  audit: {
    action: 'user.change_password',
    entry: ({ user }) => ({ actorId: user.id, targetType: 'user', targetId: user.id }),
  },
});

/** One's own name and language. */
export const updateProfile = defineCommand({
  load: async (_app, request) => ({ user: requireUser(request) }),
  authorise: () => {},
  lock: async () => undefined,
  async run(tx, { user }, _locked, body: UpdateProfileBody): Promise<User> {
    return (await updateUser(tx, user.id, changesOf(body))) ?? user;
  },
  audit: {
    action: 'user.update_profile',
    entry: ({ user }, body) => ({
      actorId: user.id,
      targetType: 'user',
      targetId: user.id,
      details: changesOf(body),
    }),
  },
});

function changesOf(body: UpdateProfileBody) {
  return {
    ...(body.displayName !== undefined ? { displayName: body.displayName.trim() } : {}),
    ...(body.locale !== undefined ? { locale: body.locale } : {}),
  };
}
