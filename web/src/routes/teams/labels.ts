import type { TeamKind } from '@tongxin/shared/teams/teams';
import type { BoardActivity, MySignup } from '@tongxin/shared/teams/teams.schemas';
import { m } from '$lib/paraglide/messages';

const KIND_NAMES: Record<TeamKind, () => string> = {
  charity: m.tm_kind_charity,
  mediation: m.tm_kind_mediation,
  mutual_aid: m.tm_kind_mutual_aid,
  party_commando: m.tm_kind_party_commando,
  patrol: m.tm_kind_patrol,
  civility: m.tm_kind_civility,
  environment: m.tm_kind_environment,
  elder_care: m.tm_kind_elder_care,
  custom: m.tm_kind_custom,
};
export const kindName = (kind: string) => KIND_NAMES[kind as TeamKind]?.() ?? kind;

export function signupText(mine: MySignup): string {
  if (mine.status === 'confirmed') return m.tm_status_confirmed();
  return mine.waitlistPosition
    ? m.tm_status_waitlisted({ n: mine.waitlistPosition })
    : m.tm_status_waitlisted_plain();
}

export const hours = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

/** My place in line: my sign-up's index in the live waiting list, else what the API said. */
export function livePosition(
  mine: MySignup | null,
  live: BoardActivity | undefined,
): number | null {
  if (mine?.status !== 'waitlisted') return null;
  const at = live ? live.waitlist.indexOf(mine.id) : -1;
  return at >= 0 ? at + 1 : mine.waitlistPosition;
}
