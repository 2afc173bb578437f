import { m } from '$lib/paraglide/messages';
import type { accountsRefusals } from '@tongxin/shared/accounts/refusals';
import type { RefusalWords } from './words';

/** The accounts refusals in words (shared/messages/accounts). */
export const accountsWords: RefusalWords<typeof accountsRefusals> = {
  username_taken: m.rf_username_taken,
  phone_taken: m.rf_phone_taken,
  wrong_credentials: m.rf_wrong_credentials,
  wrong_password: m.rf_wrong_password,
  account_locked: m.rf_account_locked,
  address_locked: m.rf_address_locked,
  invitation_invalid: m.rf_invitation_invalid,
  invitation_used_up: m.rf_invitation_used_up,
  invitation_expired: m.rf_invitation_expired,
  already_has_role: m.rf_already_has_role,
  guest_cannot_accept: m.rf_guest_cannot_accept,
  invitation_needs_unit: m.rf_invitation_needs_unit,
  grid_worker_needs_grid: m.rf_grid_worker_needs_grid,
  unit_only_for_reps: m.rf_unit_only_for_reps,
  people_for_managers: m.rf_people_for_managers,
  own_role: m.rf_own_role,
  revoke_organiser_from_above: m.rf_revoke_organiser_from_above,
  revoke_by_manager: m.rf_revoke_by_manager,
  not_in_community: m.rf_not_in_community,
  secretary_only: m.rf_secretary_only,
};
