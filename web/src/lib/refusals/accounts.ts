import type { accountsRefusals } from '@tongxin/shared/accounts/refusals';
import type { RefusalWords } from './words';

/** The accounts refusals in words (shared/messages/accounts). */
export const accountsWords: RefusalWords<typeof accountsRefusals> = {};
