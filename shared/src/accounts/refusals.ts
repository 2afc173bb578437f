import { defineRefusals, withParams } from '../refusal.ts';

/**
 * Why an account, invitation, people or places command says no.
 * Words: shared/messages/accounts/<locale>.json, rf_<code>.
 */
export const accountsRefusals = defineRefusals({
  // Accounts (server/src/auth).
  username_taken: 409,
  phone_taken: 409,
  /** A login that failed: unknown name, wrong password, or a guest's account. */
  wrong_credentials: 401,
  wrong_password: 400,
  /** Too many wrong passwords for one account in the window. */
  account_locked: withParams<{ minutes: number }>(429),
  /** Too many failed logins from one address in the window (a sweep). */
  address_locked: withParams<{ minutes: number }>(429),

  // Invitations.
  invitation_invalid: 404,
  invitation_used_up: 410,
  invitation_expired: 410,
  already_has_role: 409,
  /** A roundtable guest's account holds no roles. */
  guest_cannot_accept: 403,
  invitation_needs_unit: 400,
  unit_only_for_reps: 400,
  /** A grid worker (网格员) is invited to one grid, not to a community or compound. */
  grid_worker_needs_grid: 400,

  // People and roles.
  people_for_managers: 403,
  own_role: 409,
  revoke_organiser_from_above: 403,
  revoke_by_manager: 403,

  // What a person is to a community (server/src/places/community-access.ts).
  not_in_community: 403,
  secretary_only: 403,
});
