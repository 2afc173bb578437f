import { defineRefusals } from '../refusal.ts';

/** Why a teams command says no. Words: shared/messages/teams/<locale>.json, rf_<code>. */
export const teamsRefusals = defineRefusals({});
