import { m } from '$lib/paraglide/messages';
import type { accountsRefusals } from '@tongxin/shared/accounts/refusals';
import type { RefusalWords } from './words';

/** The accounts refusals in words (shared/messages/accounts). */
export const accountsWords: RefusalWords<typeof accountsRefusals> = {
  not_in_community: m.rf_not_in_community,
  secretary_only: m.rf_secretary_only,
};
