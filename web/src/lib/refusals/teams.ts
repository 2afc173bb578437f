import type { teamsRefusals } from '@tongxin/shared/teams/refusals';
import type { RefusalWords } from './words';

/** The teams refusals in words (shared/messages/teams). */
export const teamsWords: RefusalWords<typeof teamsRefusals> = {};
