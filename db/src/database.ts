import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Locale } from '@tongxin/shared/errors';
import type { PlaceKind, Role, UnitKind } from '@tongxin/shared/roles';
import type { Stage } from '@tongxin/shared/roundtables/stages';
import type { TopicCategory } from '@tongxin/shared/roundtables/topics';
import type {
  ClaimItemsTable,
  ClaimsTable,
  MemberReportsTable,
  UnitReportsTable,
} from './double-report/claims.tables.ts';
import type { NotificationsTable } from './notifications/notifications.tables.ts';
import type { PhotosTable } from './photos/photos.tables.ts';
import type {
  ProblemEventsTable,
  ProblemFollowersTable,
  ProblemReportsTable,
  ProblemRoutesTable,
} from './problems/problems.tables.ts';
import type { RemindersSentTable } from './reminders/reminders.tables.ts';
import type {
  RoundtableGuestLinksTable,
  RoundtableGuestsTable,
  UserKind,
} from './roundtables/guests.tables.ts';
import type {
  ActionItemsTable,
  ActionUpdatesTable,
  AttendanceTable,
  BallotsTable,
  HandCountsTable,
  MinutesVersionsTable,
  ProposalsTable,
  RatingsTable,
  ResolutionsTable,
  SpeakingTurnsTable,
  VotesTable,
} from './roundtables/roundtables.tables.ts';
import type {
  ActivitiesTable,
  CatalogueItemsTable,
  PointsLedgerTable,
  RedemptionsTable,
  ServiceDayRulesTable,
  SignupsTable,
  TeamMembersTable,
  TeamsTable,
} from './teams/teams.tables.ts';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json = ColumnType<Record<string, unknown>, string | undefined, never>;

export interface UsersTable {
  id: Generated<string>;
  username: string;
  displayName: string;
  phone: string | null;
  passwordHash: string;
  locale: ColumnType<Locale, Locale | undefined, Locale>;
  /** 'guest': made by a roundtable's guest link; never logs in by password, holds no roles. */
  kind: ColumnType<UserKind, UserKind | undefined, never>;
  createdAt: CreatedAt;
}

export interface SessionsTable {
  id: string;
  userId: string;
  expiresAt: Date;
  createdAt: CreatedAt;
}

export interface LoginFailuresTable {
  id: Generated<string>;
  usernameKey: string;
  /** Where a confirmed failure came from; null while its attempt is being checked. */
  address: ColumnType<string | null, string | null | undefined, string | null>;
  createdAt: CreatedAt;
}

export interface PlacesTable {
  id: Generated<string>;
  parentId: string | null;
  kind: PlaceKind;
  name: string;
  gridId: string | null;
  createdAt: CreatedAt;
}

export interface UnitsTable {
  id: Generated<string>;
  name: string;
  kind: UnitKind;
  createdAt: CreatedAt;
}

export interface RoleAssignmentsTable {
  id: Generated<string>;
  userId: string;
  role: Role;
  placeId: string;
  unitId: string | null;
  createdAt: CreatedAt;
}

export interface InvitationsTable {
  id: Generated<string>;
  code: string;
  role: Role;
  placeId: string;
  unitId: string | null;
  invitedBy: string;
  note: string | null;
  maxUses: ColumnType<number, number | undefined, number>;
  usedCount: ColumnType<number, number | undefined, number>;
  expiresAt: Date;
  createdAt: CreatedAt;
}

export interface AuditLogTable {
  id: Generated<string>;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Json;
  createdAt: CreatedAt;
}

export interface LiveDocumentSnapshotsTable {
  docName: string;
  state: ColumnType<Uint8Array, Uint8Array, Uint8Array>;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
  /** Several instances: the last log position the state holds. */
  docSeq: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Several instances: the last log position handed out per document. */
export interface LiveDocumentHeadsTable {
  docName: string;
  seq: ColumnType<string, string | number, string | number>;
}

/** Periodic sweeps: when each last ran (one instance among N runs it once a period). */
export interface JobRunsTable {
  name: string;
  ranAt: ColumnType<Date, Date | string, Date | string>;
}

/** Work due at a moment, done once by whichever instance claims it. */
export interface ScheduledJobsTable {
  id: Generated<string>;
  kind: string;
  subject: string;
  dueAt: ColumnType<Date, Date | string, Date | string>;
  leasedUntil: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  attempts: ColumnType<number, number | undefined, number>;
  doneAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  createdAt: CreatedAt;
}

export interface LiveDocumentUpdatesTable {
  id: Generated<string>;
  docName: string;
  update: ColumnType<Uint8Array, Uint8Array, never>;
  createdAt: CreatedAt;
  /** Several instances: the row's position in its document's log; null when single. */
  docSeq: ColumnType<string | null, string | number | null | undefined, never>;
}

export interface RoundtablesTable {
  id: Generated<string>;
  placeId: string;
  title: string;
  localName: string;
  location: string;
  startsAt: Date;
  stage: ColumnType<Stage, Stage | undefined, Stage>;
  quorum: number | null;
  chairId: string;
  openMinutes: ColumnType<boolean, boolean | undefined, boolean>;
  hiddenTally: ColumnType<boolean, boolean | undefined, boolean>;
  /** numeric arrives as a string from pg; parse where it is used. */
  dissatisfiedThreshold: ColumnType<string, number | undefined, number>;
  createdAt: CreatedAt;
  stageChangedAt: ColumnType<Date, Date | undefined, Date>;
  currentTopicId: ColumnType<string | null, string | null | undefined, string | null>;
  timerSeconds: ColumnType<number | null, number | null | undefined, number | null>;
  checkinCode: ColumnType<string, string | undefined, string>;
  minutesAmendUntil: ColumnType<Date | null, Date | null | undefined, Date | null>;
  minutesFrozenAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface RoundtableUnitsTable {
  roundtableId: string;
  unitId: string;
}

export type TopicStatus = 'submitted' | 'accepted' | 'merged' | 'declined';

export interface TopicsTable {
  id: Generated<string>;
  roundtableId: string;
  raisedBy: string;
  title: string;
  description: ColumnType<string, string | undefined, string>;
  category: TopicCategory;
  location: string | null;
  status: ColumnType<TopicStatus, TopicStatus | undefined, TopicStatus>;
  agendaPosition: number | null;
  mergedInto: string | null;
  declineReason: string | null;
  screenedBy: string | null;
  screenedAt: Date | null;
  cosignCount: ColumnType<number, number | undefined, number>;
  deferred: ColumnType<boolean, boolean | undefined, boolean>;
  createdAt: CreatedAt;
}

export interface TopicCosignsTable {
  topicId: string;
  userId: string;
  createdAt: CreatedAt;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  loginFailures: LoginFailuresTable;
  places: PlacesTable;
  units: UnitsTable;
  roleAssignments: RoleAssignmentsTable;
  invitations: InvitationsTable;
  auditLog: AuditLogTable;
  liveDocumentSnapshots: LiveDocumentSnapshotsTable;
  liveDocumentUpdates: LiveDocumentUpdatesTable;
  liveDocumentHeads: LiveDocumentHeadsTable;
  jobRuns: JobRunsTable;
  scheduledJobs: ScheduledJobsTable;
  roundtables: RoundtablesTable;
  roundtableUnits: RoundtableUnitsTable;
  topics: TopicsTable;
  topicCosigns: TopicCosignsTable;
  // the live meeting and what follows it
  attendance: AttendanceTable;
  speakingTurns: SpeakingTurnsTable;
  proposals: ProposalsTable;
  votes: VotesTable;
  ballots: BallotsTable;
  handCounts: HandCountsTable;
  resolutions: ResolutionsTable;
  actionItems: ActionItemsTable;
  actionUpdates: ActionUpdatesTable;
  ratings: RatingsTable;
  minutesVersions: MinutesVersionsTable;
  roundtableGuestLinks: RoundtableGuestLinksTable;
  roundtableGuests: RoundtableGuestsTable;
  photos: PhotosTable;
  // double report
  unitReports: UnitReportsTable;
  memberReports: MemberReportsTable;
  claimItems: ClaimItemsTable;
  claims: ClaimsTable;
  notifications: NotificationsTable;
  // teams and sign-ups
  teams: TeamsTable;
  teamMembers: TeamMembersTable;
  serviceDayRules: ServiceDayRulesTable;
  activities: ActivitiesTable;
  signups: SignupsTable;
  catalogueItems: CatalogueItemsTable;
  redemptions: RedemptionsTable;
  pointsLedger: PointsLedgerTable;
  // 随手拍 problem reports
  problemReports: ProblemReportsTable;
  problemFollowers: ProblemFollowersTable;
  problemEvents: ProblemEventsTable;
  problemRoutes: ProblemRoutesTable;
  remindersSent: RemindersSentTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Place = Selectable<PlacesTable>;
export type Unit = Selectable<UnitsTable>;
export type RoleAssignment = Selectable<RoleAssignmentsTable>;
export type Invitation = Selectable<InvitationsTable>;
