import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Attendance, JoinPolicy, SignupStatus, TeamKind } from '@tongxin/shared/teams/teams';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface TeamsTable {
  id: Generated<string>;
  communityId: string;
  name: string;
  kind: TeamKind;
  customKind: string | null;
  description: Defaulted<string>;
  joinPolicy: Defaulted<JoinPolicy>;
  createdBy: string;
  createdAt: CreatedAt;
}

export interface TeamMembersTable {
  teamId: string;
  userId: string;
  role: Defaulted<'leader' | 'member'>;
  status: Defaulted<'pending' | 'active'>;
  createdAt: CreatedAt;
}

export interface ServiceDayRulesTable {
  id: Generated<string>;
  communityId: string;
  teamId: string | null;
  title: string;
  description: Defaulted<string>;
  place: string;
  daysOfMonth: number[];
  startTime: string;
  durationMinutes: number;
  capacity: number;
  membersOnly: Defaulted<boolean>;
  createdBy: string;
  createdAt: CreatedAt;
  /** Set when the rule was ended: it lays out no more activities. */
  endedAt: Date | null;
}

export interface ActivitiesTable {
  id: Generated<string>;
  communityId: string;
  teamId: string | null;
  serviceDayRuleId: string | null;
  title: string;
  description: Defaulted<string>;
  place: string;
  requirements: Defaulted<string>;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  membersOnly: Defaulted<boolean>;
  status: Defaulted<'scheduled' | 'cancelled'>;
  confirmedCount: Defaulted<number>;
  signupSeq: Defaulted<number>;
  checkinCode: string;
  createdBy: string;
  createdAt: CreatedAt;
  /** The roundtable action item this activity was published for (办事 handed on). */
  actionItemId: Defaulted<string | null>;
  /** The team reported it done (an activity handed on from a roundtable). */
  completedAt: Defaulted<Date | null>;
  completedBy: Defaulted<string | null>;
  completionNote: Defaulted<string | null>;
}

export interface SignupsTable {
  id: Generated<string>;
  activityId: string;
  userId: string;
  status: SignupStatus;
  arrival: number;
  signedUpAt: CreatedAt;
  promotedAt: Date | null;
  cancelledAt: Date | null;
  attendance: Defaulted<Attendance>;
  checkedInAt: Date | null;
  checkedInBy: string | null;
  serviceMinutes: number | null;
  hoursConfirmedBy: string | null;
  hoursConfirmedAt: Date | null;
  remindedAt: Date | null;
}

export interface CatalogueItemsTable {
  id: Generated<string>;
  communityId: string;
  name: string;
  description: Defaulted<string>;
  cost: number;
  stock: number;
  active: Defaulted<boolean>;
  createdAt: CreatedAt;
}

export interface RedemptionsTable {
  id: Generated<string>;
  itemId: string;
  userId: string;
  communityId: string;
  cost: number;
  status: Defaulted<'pending' | 'handed_over'>;
  createdAt: CreatedAt;
  handedOverAt: Date | null;
  handedOverBy: string | null;
}

export type LedgerReason = 'service_hours' | 'hours_reversed' | 'redemption' | 'problem_report';
export interface PointsLedgerTable {
  /** bigserial: arrives as a string from pg. */
  id: ColumnType<string, never, never>;
  userId: string;
  communityId: string;
  delta: number;
  reason: LedgerReason;
  signupId: string | null;
  redemptionId: string | null;
  problemId: ColumnType<string | null, string | null | undefined, never>;
  balanceAfter: number;
  createdBy: string;
  createdAt: CreatedAt;
}

export type Team = Selectable<TeamsTable>;
export type Activity = Selectable<ActivitiesTable>;
export type Signup = Selectable<SignupsTable>;
export type ServiceDayRule = Selectable<ServiceDayRulesTable>;
export type CatalogueItem = Selectable<CatalogueItemsTable>;
