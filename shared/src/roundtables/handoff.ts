import type { ActionItemStatus } from './stages.ts';

/**
 * 办事 handed on: a roundtable action item published as a 双报到 project (units claim it) or
 * as a service team's activity. The one copy of who may hand on what.
 */
/** Who answers for an item (floor.schemas OWNER_KINDS, said here without importing it). */
type OwnerKind = 'unit' | 'team' | 'person';

export const HANDOFF_KINDS = ['project', 'activity'] as const;
export type HandoffKind = (typeof HANDOFF_KINDS)[number];

/** The state of the linked work as the item's page shows it. */
export const HANDOFF_STATES = [
  // A project: nobody claimed it yet, then the unit's claim as it moves.
  'open',
  'claimed',
  'in_progress',
  'delivered',
  'confirmed',
  // An activity.
  'scheduled',
  'completed',
  'cancelled',
] as const;
export type HandoffState = (typeof HANDOFF_STATES)[number];

export type HandoffRefusal =
  | 'item_already_handed_on'
  | 'item_already_done'
  | 'person_item_not_handed_on'
  | 'handoff_needs_unit_owner'
  | 'handoff_needs_team_owner';

/**
 * May this item be handed on as this kind? A unit's item becomes a project its unit (and
 * others reported here) may claim; a team's item becomes that team's activity; a named
 * person's item stays theirs. An item already handed on, or already done, is not handed on.
 * (Who: the chair of the roundtable, its convener or the community's secretary, by the
 * `hand_on_item` action in actions.ts.)
 */
export function judgeHandoff(
  kind: HandoffKind,
  item: { ownerKind: OwnerKind; status: ActionItemStatus; handedOn: boolean },
): HandoffRefusal | null {
  if (item.handedOn) return 'item_already_handed_on';
  if (item.status === 'done') return 'item_already_done';
  if (item.ownerKind === 'person') return 'person_item_not_handed_on';
  if (kind === 'project' && item.ownerKind !== 'unit') return 'handoff_needs_unit_owner';
  if (kind === 'activity' && item.ownerKind !== 'team') return 'handoff_needs_team_owner';
  return null;
}

/** The kind an item of this owner may be handed on as, or null (a named person's item). */
export function handoffKindFor(ownerKind: OwnerKind): HandoffKind | null {
  return ownerKind === 'unit' ? 'project' : ownerKind === 'team' ? 'activity' : null;
}
