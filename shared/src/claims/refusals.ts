import { defineRefusals } from '../refusal.ts';

/** Why a claims command says no. Words: shared/messages/claims/<locale>.json, rf_<code>. */
export const claimsRefusals = defineRefusals({});
