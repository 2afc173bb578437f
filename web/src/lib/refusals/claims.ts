import type { claimsRefusals } from '@tongxin/shared/claims/refusals';
import type { RefusalWords } from './words';

/** The claims refusals in words (shared/messages/claims). */
export const claimsWords: RefusalWords<typeof claimsRefusals> = {};
