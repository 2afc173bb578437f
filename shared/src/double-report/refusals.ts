import { defineRefusals } from '../refusal.ts';

/** Why a double-report command says no. Words: shared/messages/double-report/<locale>.json, rf_<code>. */
export const doubleReportRefusals = defineRefusals({
  // Claiming (认领): the order follows judgeClaim in claims.ts.
  /** Resources are offered, not claimed. */
  not_claimable: 409,
  /** The viewer posted it (their own wish). */
  own_item: 403,
  /** Pending review, rejected or closed. */
  item_not_open: 409,
  /** Projects are claimed by units: the body names none. */
  unit_required: 400,
  /** The body names a unit the person does not represent here. */
  not_your_unit: 403,
  unit_not_reported: 403,
  /** Tasks, needs and wishes are claimed by members, not units. */
  unit_not_claimant: 400,
  /** The member has no confirmed report to this community. */
  not_reported: 403,
  already_claimed: 409,
  claim_full: 409,

  // Posting to the three lists.
  resource_needs_reported_unit: 403,
  kind_for_secretary: 403,
  unit_only_on_resources: 400,
  deadline_past: 400,

  // Reviews by the community.
  rejection_needs_reason: 400,
  wish_already_reviewed: 409,
  report_already_reviewed: 409,

  // Reports (报到).
  already_reported: 409,
  not_unit_rep: 403,

  // The life of a claim.
  not_the_claimant: 403,
  confirm_by_community: 403,
  claim_not_fresh: 409,
  claim_not_deliverable: 409,
  claim_work_started: 409,
  claim_not_delivered: 409,
});
