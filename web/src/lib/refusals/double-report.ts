import { m } from '$lib/paraglide/messages';
import type { doubleReportRefusals } from '@tongxin/shared/double-report/refusals';
import type { RefusalWords } from './words';

/** The double report's refusals in words (shared/messages/double-report). */
export const doubleReportWords: RefusalWords<typeof doubleReportRefusals> = {
  not_claimable: m.rf_not_claimable,
  own_item: m.rf_own_item,
  item_not_open: m.rf_item_not_open,
  unit_required: m.rf_unit_required,
  not_your_unit: m.rf_not_your_unit,
  unit_not_reported: m.rf_unit_not_reported,
  unit_not_claimant: m.rf_unit_not_claimant,
  not_reported: m.rf_not_reported,
  already_claimed: m.rf_already_claimed,
  claim_full: m.rf_claim_full,
  resource_needs_reported_unit: m.rf_resource_needs_reported_unit,
  kind_for_secretary: m.rf_kind_for_secretary,
  unit_only_on_resources: m.rf_unit_only_on_resources,
  deadline_past: m.rf_deadline_past,
  rejection_needs_reason: m.rf_rejection_needs_reason,
  wish_already_reviewed: m.rf_wish_already_reviewed,
  report_already_reviewed: m.rf_report_already_reviewed,
  already_reported: m.rf_already_reported,
  not_unit_rep: m.rf_not_unit_rep,
  not_the_claimant: m.rf_not_the_claimant,
  confirm_by_community: m.rf_confirm_by_community,
  claim_not_fresh: m.rf_claim_not_fresh,
  claim_not_deliverable: m.rf_claim_not_deliverable,
  claim_work_started: m.rf_claim_work_started,
  claim_not_delivered: m.rf_claim_not_delivered,
};
