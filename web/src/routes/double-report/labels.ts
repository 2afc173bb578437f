import type { ClaimStatus, ItemKind, ItemStatus } from '@tongxin/shared/double-report/claims';
import { m } from '$lib/paraglide/messages';

const kinds: Record<ItemKind, () => string> = {
  need: m.dr_kind_need,
  wish: m.dr_kind_wish,
  resource: m.dr_kind_resource,
  project: m.dr_kind_project,
  task: m.dr_kind_task,
};
const itemStatuses: Record<ItemStatus, () => string> = {
  pending_review: m.dr_status_pending_review,
  open: m.dr_status_open,
  rejected: m.dr_status_rejected,
  closed: m.dr_status_closed,
};
const claimStatuses: Record<ClaimStatus, () => string> = {
  claimed: m.dr_claim_claimed,
  in_progress: m.dr_claim_in_progress,
  delivered: m.dr_claim_delivered,
  confirmed: m.dr_claim_confirmed,
  withdrawn: m.dr_claim_withdrawn,
};

export const kindName = (k: ItemKind) => kinds[k]();
export const itemStatusName = (s: ItemStatus) => itemStatuses[s]();
export const claimStatusName = (s: ClaimStatus) => claimStatuses[s]();
