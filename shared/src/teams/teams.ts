import { chinaInstant, chinaParts, daysAfter } from '../time/china.ts';

/**
 * 服务队 · 志愿服务: team kinds, the life of a sign-up, check-in windows, points and service days.
 * Pure rules, used by the server to enforce and by the pages to show only what applies.
 */
export const TEAM_KINDS = [
  'charity',
  'mediation',
  'mutual_aid',
  'party_commando',
  'patrol',
  'civility',
  'environment',
  'elder_care',
  'custom',
] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];

export const JOIN_POLICIES = ['open', 'approval'] as const;
export type JoinPolicy = (typeof JOIN_POLICIES)[number];

export const SIGNUP_STATUSES = ['confirmed', 'waitlisted', 'cancelled'] as const;
export type SignupStatus = (typeof SIGNUP_STATUSES)[number];

export const ATTENDANCES = ['pending', 'present', 'no_show'] as const;
export type Attendance = (typeof ATTENDANCES)[number];

/** 积分: points credited per confirmed hour of service. */
export const POINTS_PER_HOUR = 10;
export const pointsForMinutes = (minutes: number) => Math.round((minutes * POINTS_PER_HOUR) / 60);

/**
 * Points without a role: whoever belongs to a community (a role in it) or has a points account
 * there (a ledger: a delivery rider credited for a report holds no role) sees their points in
 * it, its 积分商城, and redeems from it. Everything else on the teams pages needs a role.
 */
export const mayUsePoints = (who: { belongs: boolean; hasLedger: boolean }) =>
  who.belongs || who.hasLedger;

interface Window {
  startsAt: Date;
  endsAt: Date;
}
/** Two activities overlap when each starts before the other ends. */
export const overlaps = (a: Window, b: Window) => a.startsAt < b.endsAt && b.startsAt < a.endsAt;

/** No sign-up once the activity has started; cancelled activities take none. */
export function signupClosed(
  activity: Window & { status: 'scheduled' | 'cancelled' },
  now: Date,
): 'cancelled' | 'started' | null {
  if (activity.status === 'cancelled') return 'cancelled';
  if (now >= activity.startsAt) return 'started';
  return null;
}

/** Check-in opens half an hour before the start and closes two hours after the end. */
export const CHECKIN_OPENS_MIN = 30;
export const CHECKIN_CLOSES_MIN = 120;
export function checkInOpen(activity: Window, now: Date): boolean {
  return (
    now.getTime() >= activity.startsAt.getTime() - CHECKIN_OPENS_MIN * 60_000 &&
    now.getTime() <= activity.endsAt.getTime() + CHECKIN_CLOSES_MIN * 60_000
  );
}

/** The service an activity is worth by default: its length, in minutes. */
export const activityMinutes = (a: Window) =>
  Math.round((a.endsAt.getTime() - a.startsAt.getTime()) / 60_000);

/** How far ahead service days are laid out as activities people can sign up for. */
export const SERVICE_DAY_HORIZON_DAYS = 62;

/**
 * 集中服务日: the start of every activity a rule generates from `from` for `horizonDays`,
 * e.g. the 15th and 25th of every month at 09:00 China time. Days a month lacks (31 in April)
 * are skipped.
 */
export function serviceDayStarts(
  rule: { daysOfMonth: number[]; startTime: string },
  from: Date,
  horizonDays: number,
): Date[] {
  const [hh, mm] = rule.startTime.split(':').map(Number) as [number, number];
  const { year, month: first } = chinaParts(from);
  const until = daysAfter(from, horizonDays);
  const starts: Date[] = [];
  for (let month = first; month <= first + Math.ceil(horizonDays / 28) + 1; month++) {
    for (const day of [...rule.daysOfMonth].sort((a, b) => a - b)) {
      const start = chinaInstant(year, month, day, hh, mm);
      // 31 April rolls over into May: skip days the month does not have.
      if (chinaParts(start).day !== day) continue;
      if (start > from && start <= until) starts.push(start);
    }
  }
  return starts.sort((a, b) => a.getTime() - b.getTime());
}
