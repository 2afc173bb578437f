import { defineRefusals } from '../refusal.ts';

/**
 * Why an account, invitation, people or places command says no.
 * Words: shared/messages/accounts/<locale>.json, rf_<code>.
 */
export const accountsRefusals = defineRefusals({
  // What a person is to a community (server/src/places/community-access.ts).
  not_in_community: 403,
  secretary_only: 403,
});
