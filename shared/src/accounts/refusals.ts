import { defineRefusals } from '../refusal.ts';

/**
 * Why an account, invitation, people or places command says no.
 * Words: shared/messages/accounts/<locale>.json, rf_<code>.
 */
export const accountsRefusals = defineRefusals({});
