import { Type, type Static } from 'typebox';
import { ATTENDANCES, JOIN_POLICIES, SIGNUP_STATUSES, TEAM_KINDS } from './teams.ts';

const strict = { additionalProperties: false } as const;
const Id = Type.String({ format: 'uuid' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);
const Ref = Type.Object({ id: Type.String(), name: Type.String() });
const Text = (maxLength: number) => Type.String({ maxLength });

// ── Teams (服务队) ────────────────────────────────────────────────────────────
export const TeamBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40 }),
    kind: Type.Enum([...TEAM_KINDS]),
    /** The kind in words when `kind` is custom: 楼道微治理. */
    customKind: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    description: Type.Optional(Text(500)),
    joinPolicy: Type.Optional(Type.Enum([...JOIN_POLICIES])),
    /** The first leader; the secretary who creates the team if left out. */
    leaderId: Type.Optional(Id),
  },
  strict,
);
export type TeamBody = Static<typeof TeamBody>;

export const MyTeamStanding = Type.Enum(['leader', 'member', 'pending', 'none']);
export const TeamView = Type.Object({
  id: Type.String(),
  communityId: Type.String(),
  name: Type.String(),
  kind: Type.Enum([...TEAM_KINDS]),
  customKind: Nullable(Type.String()),
  description: Type.String(),
  joinPolicy: Type.Enum([...JOIN_POLICIES]),
  leaders: Type.Array(Ref),
  memberCount: Type.Integer(),
  me: MyTeamStanding,
});
export type TeamView = Static<typeof TeamView>;

export const TeamMemberView = Type.Object({
  user: Ref,
  role: Type.Enum(['leader', 'member']),
  status: Type.Enum(['pending', 'active']),
  since: Type.String(),
});
export const TeamDetail = Type.Object({
  team: TeamView,
  /** Leaders see pending requests; everyone else the active members. */
  members: Type.Array(TeamMemberView),
});
export type TeamDetail = Static<typeof TeamDetail>;

// ── Activities (活动) ─────────────────────────────────────────────────────────
const ActivityFields = {
  title: Type.String({ minLength: 1, maxLength: 80 }),
  description: Type.Optional(Text(2000)),
  place: Type.String({ minLength: 1, maxLength: 80 }),
  requirements: Type.Optional(Text(200)),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  capacity: Type.Integer({ minimum: 1, maximum: 1000 }),
  /** Only the team's members may sign up. */
  membersOnly: Type.Optional(Type.Boolean()),
};
export const ActivityBody = Type.Object({ teamId: Type.Optional(Id), ...ActivityFields }, strict);
export type ActivityBody = Static<typeof ActivityBody>;

/** A change to an activity; everyone signed up is told. */
export const ActivityChange = Type.Object(
  {
    title: Type.Optional(ActivityFields.title),
    description: ActivityFields.description,
    place: Type.Optional(ActivityFields.place),
    requirements: ActivityFields.requirements,
    startsAt: Type.Optional(ActivityFields.startsAt),
    endsAt: Type.Optional(ActivityFields.endsAt),
    capacity: Type.Optional(ActivityFields.capacity),
  },
  { ...strict, minProperties: 1 },
);
export type ActivityChange = Static<typeof ActivityChange>;

export const MySignup = Type.Object({
  id: Type.String(),
  status: Type.Enum([...SIGNUP_STATUSES]),
  /** 1 = next in line; null unless waitlisted. */
  waitlistPosition: Nullable(Type.Integer()),
  attendance: Type.Enum([...ATTENDANCES]),
  serviceMinutes: Nullable(Type.Integer()),
});
export type MySignup = Static<typeof MySignup>;

export const ActivityView = Type.Object({
  id: Type.String(),
  communityId: Type.String(),
  team: Nullable(Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String() })),
  serviceDay: Type.Boolean(),
  title: Type.String(),
  description: Type.String(),
  place: Type.String(),
  requirements: Type.String(),
  startsAt: Type.String(),
  endsAt: Type.String(),
  capacity: Type.Integer(),
  confirmed: Type.Integer(),
  waitlisted: Type.Integer(),
  membersOnly: Type.Boolean(),
  status: Type.Enum(['scheduled', 'cancelled']),
  mine: Nullable(MySignup),
  /** Team leader or secretary: may change, cancel, message and keep the roster. */
  manage: Type.Boolean(),
  /** Why I cannot sign up, if I cannot. */
  blocker: Nullable(Type.Enum(['cancelled', 'started', 'members_only', 'signed_up'])),
});
export type ActivityView = Static<typeof ActivityView>;

export const ActivityQuery = Type.Object(
  {
    /** One day, YYYY-MM-DD (China time). */
    day: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
    kind: Type.Optional(Type.Enum([...TEAM_KINDS])),
    teamId: Type.Optional(Id),
    /** Only activities with a free place. */
    open: Type.Optional(Type.Enum(['true', 'false'])),
  },
  strict,
);
export type ActivityQuery = Static<typeof ActivityQuery>;

export const SignupResult = Type.Object({
  activity: ActivityView,
  /** My other activities that overlap this one: signing up still succeeds, with a warning. */
  overlaps: Type.Array(
    Type.Object({ id: Type.String(), title: Type.String(), startsAt: Type.String() }),
  ),
});
export type SignupResult = Static<typeof SignupResult>;

export const MyActivity = Type.Object({ activity: ActivityView, signup: MySignup });
export type MyActivity = Static<typeof MyActivity>;

export const LeaderMessageBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 300 }) },
  strict,
);
export type LeaderMessageBody = Static<typeof LeaderMessageBody>;

// ── Roster and check-in (签到) ─────────────────────────────────────────────────
export const RosterEntry = Type.Object({
  signupId: Type.String(),
  user: Ref,
  phone: Nullable(Type.String()),
  status: Type.Enum([...SIGNUP_STATUSES]),
  arrival: Type.Integer(),
  attendance: Type.Enum([...ATTENDANCES]),
  checkedInAt: Nullable(Type.String()),
  serviceMinutes: Nullable(Type.Integer()),
});
export type RosterEntry = Static<typeof RosterEntry>;

export const Roster = Type.Object({
  activity: ActivityView,
  entries: Type.Array(RosterEntry),
  /** What the QR code at the site encodes: the app's check-in page with this code. */
  checkinCode: Type.String(),
  defaultMinutes: Type.Integer(),
});
export type Roster = Static<typeof Roster>;

export const CheckInBody = Type.Object(
  { code: Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) },
  strict,
);
export type CheckInBody = Static<typeof CheckInBody>;

export const AttendanceBody = Type.Object({ attendance: Type.Enum([...ATTENDANCES]) }, strict);
export type AttendanceBody = Static<typeof AttendanceBody>;

export const HoursBody = Type.Object(
  { minutes: Type.Integer({ minimum: 0, maximum: 1440 }) },
  strict,
);
export type HoursBody = Static<typeof HoursBody>;

// ── Service days (集中服务日) ─────────────────────────────────────────────────
export const ServiceDayBody = Type.Object(
  {
    teamId: Type.Optional(Id),
    title: ActivityFields.title,
    description: ActivityFields.description,
    place: ActivityFields.place,
    daysOfMonth: Type.Array(Type.Integer({ minimum: 1, maximum: 31 }), {
      minItems: 1,
      maxItems: 31,
      uniqueItems: true,
    }),
    startTime: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
    durationMinutes: Type.Integer({ minimum: 15, maximum: 720 }),
    capacity: ActivityFields.capacity,
    membersOnly: ActivityFields.membersOnly,
  },
  strict,
);
export type ServiceDayBody = Static<typeof ServiceDayBody>;

/** Changing a rule: any of its fields but the team (the team decides who manages it). */
export const ServiceDayChange = Type.Object(
  {
    title: Type.Optional(ServiceDayBody.properties.title),
    description: ServiceDayBody.properties.description,
    place: Type.Optional(ServiceDayBody.properties.place),
    daysOfMonth: Type.Optional(ServiceDayBody.properties.daysOfMonth),
    startTime: Type.Optional(ServiceDayBody.properties.startTime),
    durationMinutes: Type.Optional(ServiceDayBody.properties.durationMinutes),
    capacity: Type.Optional(ServiceDayBody.properties.capacity),
    membersOnly: ServiceDayBody.properties.membersOnly,
  },
  { ...strict, minProperties: 1 },
);
export type ServiceDayChange = Static<typeof ServiceDayChange>;

export const ServiceDayView = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  place: Type.String(),
  team: Nullable(Ref),
  daysOfMonth: Type.Array(Type.Integer()),
  startTime: Type.String(),
  durationMinutes: Type.Integer(),
  capacity: Type.Integer(),
  membersOnly: Type.Boolean(),
  upcoming: Type.Array(Type.Object({ id: Type.String(), startsAt: Type.String() })),
});
export type ServiceDayView = Static<typeof ServiceDayView>;

/** What changing or ending a rule did to its future activities. */
export const ServiceDayOutcome = Type.Object({
  rule: ServiceDayView,
  /** Activities people hold or await a place on: left exactly as they were. */
  kept: Type.Integer(),
  /** Activities nobody signed up for, brought in line with the rule. */
  updated: Type.Integer(),
  /** Activities nobody signed up for that no longer fit the rule: taken back. */
  withdrawn: Type.Integer(),
  /** Activities newly laid out. */
  added: Type.Integer(),
});
export type ServiceDayOutcome = Static<typeof ServiceDayOutcome>;

// ── Points (积分) ──────────────────────────────────────────────────────────────
export const LedgerEntry = Type.Object({
  id: Type.String(),
  delta: Type.Integer(),
  reason: Type.Enum(['service_hours', 'hours_reversed', 'redemption', 'problem_report']),
  /** The activity or the catalogue item it came from. */
  about: Type.String(),
  balanceAfter: Type.Integer(),
  at: Type.String(),
});
export type LedgerEntry = Static<typeof LedgerEntry>;

export const MyPoints = Type.Object({
  community: Ref,
  balance: Type.Integer(),
  confirmedMinutes: Type.Integer(),
  entries: Type.Array(LedgerEntry),
});
export type MyPoints = Static<typeof MyPoints>;

/** A community where I have a points account, with my balance there. */
export const MyPointsAccount = Type.Object({ community: Ref, balance: Type.Integer() });
export type MyPointsAccount = Static<typeof MyPointsAccount>;

export const CatalogueBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40 }),
    description: Type.Optional(Text(200)),
    cost: Type.Integer({ minimum: 1, maximum: 100000 }),
    stock: Type.Integer({ minimum: 0, maximum: 100000 }),
  },
  strict,
);
export type CatalogueBody = Static<typeof CatalogueBody>;

/** The secretary corrects an item: any of its fields, at least one. */
export const CatalogueChange = Type.Object(
  {
    name: Type.Optional(CatalogueBody.properties.name),
    description: CatalogueBody.properties.description,
    cost: Type.Optional(CatalogueBody.properties.cost),
    stock: Type.Optional(CatalogueBody.properties.stock),
  },
  { ...strict, minProperties: 1 },
);
export type CatalogueChange = Static<typeof CatalogueChange>;

export const CatalogueItemView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  cost: Type.Integer(),
  stock: Type.Integer(),
});
export type CatalogueItemView = Static<typeof CatalogueItemView>;

export const RedemptionView = Type.Object({
  id: Type.String(),
  item: Ref,
  cost: Type.Integer(),
  status: Type.Enum(['pending', 'handed_over']),
  balanceAfter: Type.Integer(),
  createdAt: Type.String(),
});
export type RedemptionView = Static<typeof RedemptionView>;

/** The service desk's list: who redeemed what, and whether it has been handed over. */
export const DeskRedemption = Type.Object({
  id: Type.String(),
  item: Ref,
  user: Ref,
  cost: Type.Integer(),
  status: Type.Enum(['pending', 'handed_over']),
  createdAt: Type.String(),
  handedOverAt: Nullable(Type.String()),
});
export type DeskRedemption = Static<typeof DeskRedemption>;

export const Star = Type.Object({
  user: Ref,
  minutes: Type.Integer(),
  activities: Type.Integer(),
});
export const Stars = Type.Object({ month: Type.String(), stars: Type.Array(Star) });
export type Stars = Static<typeof Stars>;

// ── The live board (a server-owned document per community) ─────────────────────
export const BoardActivity = Type.Object({
  confirmed: Type.Integer(),
  capacity: Type.Integer(),
  status: Type.Enum(['scheduled', 'cancelled']),
  /** Waitlisted sign-up ids in order: my position is my id's index + 1. */
  waitlist: Type.Array(Type.String()),
  /** Checked in so far: the leader's roster refetches when it moves. */
  present: Type.Integer(),
});
export type BoardActivity = Static<typeof BoardActivity>;
