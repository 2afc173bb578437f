import { m } from '$lib/paraglide/messages';
import type { roundtableRefusals } from '@tongxin/shared/roundtable/refusals';
import type { RefusalWords } from './words';

/** The roundtable's refusals in words (shared/messages/roundtable). */
export const roundtableWords: RefusalWords<typeof roundtableRefusals> = {
  not_in_this_stage: m.rf_not_in_this_stage,
  topic_not_on_agenda: m.rf_topic_not_on_agenda,
  vote_already_open: m.rf_vote_already_open,
  below_quorum: m.rf_below_quorum,
  too_few_proposals: m.rf_too_few_proposals,
};
