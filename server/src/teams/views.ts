import { signupClosed } from '@tongxin/shared/teams/teams';
import type { ActivityView, MySignup } from '@tongxin/shared/teams/teams.schemas';
import type { MineOnActivity, SignupView } from '@tongxin/db/teams/signups.queries';
import type { ActivityRow } from '@tongxin/db/teams/teams.queries';
import type { Signup } from '@tongxin/db/teams/teams.tables';
import { isActiveMember, mayManage, type Viewer } from './access.ts';

export function toMySignup(
  signup: MineOnActivity | (Signup & { waitlistPosition?: number | null }),
): MySignup {
  return {
    id: signup.id,
    status: signup.status,
    waitlistPosition: signup.waitlistPosition ?? null,
    attendance: signup.attendance,
    serviceMinutes: signup.serviceMinutes,
  };
}

export function toActivityView(
  row: ActivityRow,
  rel: Viewer,
  mine: MineOnActivity | null,
  now = new Date(),
): ActivityView {
  const closed = signupClosed(row, now);
  let blocker: ActivityView['blocker'] = closed;
  if (!blocker && mine) blocker = 'signed_up';
  if (!blocker && row.membersOnly && !isActiveMember(rel, row.teamId)) blocker = 'members_only';
  return {
    id: row.id,
    communityId: row.communityId,
    team: row.teamId
      ? { id: row.teamId, name: row.teamName ?? '', kind: row.teamKind ?? '' }
      : null,
    serviceDay: row.serviceDayRuleId !== null,
    title: row.title,
    description: row.description,
    place: row.place,
    requirements: row.requirements,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    capacity: row.capacity,
    confirmed: row.confirmedCount,
    waitlisted: row.waitlisted,
    membersOnly: row.membersOnly,
    status: row.status,
    mine: mine ? toMySignup(mine) : null,
    manage: mayManage(rel, row.teamId),
    blocker,
  };
}

/** The viewer as `signupView` read them: secretary or not, and their standing in its team. */
export function viewerOf(seen: SignupView): Viewer {
  const { teamId } = seen.row;
  return {
    secretary: seen.secretary,
    standing: new Map(teamId && seen.standing ? [[teamId, seen.standing]] : []),
  };
}
