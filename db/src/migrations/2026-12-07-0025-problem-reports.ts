import { sql, type Kysely } from 'kysely';

// Frozen once released: never import application code here.
// 随手拍 / 下呼上应: anyone signed in reports a problem in a community; the grid worker
// (网格员, a new role scoped to a grid) or the community secretary answers within a time
// limit; the reporter confirms or reopens and is credited points once.
const ROLES_BEFORE = `'resident','secretary','scribe','volunteer','team_leader','unit_rep','party_member','organiser'`;
const ROLES_NOW = `${ROLES_BEFORE},'grid_worker'`;

const statements = [
  `alter table role_assignments drop constraint role_assignments_role_check`,
  `alter table role_assignments add constraint role_assignments_role_check
     check (role in (${ROLES_NOW}))`,
  `alter table invitations drop constraint invitations_role_check`,
  `alter table invitations add constraint invitations_role_check check (role in (${ROLES_NOW}))`,

  `create table problem_reports (
     id uuid primary key default gen_random_uuid(),
     community_id uuid not null references places(id),
     reporter_id uuid not null references users(id),
     category text not null check (category in
       ('parking','ebike_charging','rubbish','stray_animals','broken_facility','safety_hazard','other')),
     description text not null check (char_length(description) between 1 and 500),
     -- A compound or building of the community, and/or a words-only location (no map tiles).
     place_id uuid references places(id),
     location text check (char_length(location) between 1 and 100),
     -- The grid it is dispatched to: the building's grid, when the place is a building.
     grid_id uuid references places(id),
     status text not null default 'submitted' check (status in
       ('submitted','accepted','declined','in_hand','resolved','confirmed','merged')),
     handler_id uuid references users(id),
     decline_reason text check (char_length(decline_reason) between 1 and 200),
     merged_into uuid references problem_reports(id),
     respond_by timestamptz not null,
     resolve_by timestamptz,
     escalated_at timestamptz,
     rating text check (rating in ('satisfied','basically_satisfied','dissatisfied')),
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     check ((status = 'declined') = (decline_reason is not null)),
     check ((status = 'merged') = (merged_into is not null)),
     check (merged_into is distinct from id),
     check (rating is null or status = 'confirmed'),
     check (status in ('submitted','declined','merged') or handler_id is not null)
   )`,
  `create index problem_reports_community_idx on problem_reports (community_id, created_at desc)`,
  `create index problem_reports_reporter_idx on problem_reports (reporter_id)`,
  // The overdue sweep reads only what is still waiting.
  `create index problem_reports_waiting_idx on problem_reports (respond_by)
     where escalated_at is null and status in ('submitted','accepted','in_hand')`,

  // Who hears of every step: the reporter, and the reporters of duplicates merged into it.
  `create table problem_followers (
     problem_id uuid not null references problem_reports(id) on delete cascade,
     user_id uuid not null references users(id) on delete cascade,
     created_at timestamptz not null default now(),
     primary key (problem_id, user_id)
   )`,
  `create index problem_followers_user_idx on problem_followers (user_id)`,

  // The report's history, shown as its timeline; resolve carries the evidence photos.
  `create table problem_events (
     id uuid primary key default gen_random_uuid(),
     problem_id uuid not null references problem_reports(id) on delete cascade,
     actor_id uuid references users(id),
     kind text not null check (kind in ('submitted','accepted','declined','started','resolved',
       'confirmed','reopened','merged','escalated')),
     note text check (char_length(note) between 1 and 500),
     created_at timestamptz not null default now()
   )`,
  `create index problem_events_problem_idx on problem_events (problem_id, created_at)`,

  // Photos: on the report itself, or on one of its events (the evidence of a fix).
  `alter table photos add column problem_id uuid references problem_reports(id) on delete cascade`,
  `alter table photos add column problem_event_id uuid references problem_events(id)
     on delete cascade`,
  `alter table photos drop constraint photos_check`,
  `alter table photos drop constraint photos_check1`,
  `alter table photos add constraint photos_one_owner
     check (num_nonnulls(topic_id, action_update_id, problem_id, problem_event_id) <= 1)`,
  `alter table photos add constraint photos_position_when_attached
     check ((position is null) = (num_nonnulls(topic_id, action_update_id, problem_id,
       problem_event_id) = 0))`,
  `create unique index photos_problem_position on photos (problem_id, position)
     where problem_id is not null`,
  `create unique index photos_problem_event_position on photos (problem_event_id, position)
     where problem_event_id is not null`,
  `drop index photos_unattached`,
  `create index photos_unattached on photos (uploaded_by, created_at) where position is null`,

  // A confirmed report credits its reporter once.
  `alter table points_ledger drop constraint points_ledger_reason_check`,
  `alter table points_ledger add constraint points_ledger_reason_check
     check (reason in ('service_hours','hours_reversed','redemption','problem_report'))`,
  `alter table points_ledger add column problem_id uuid references problem_reports(id)`,
  `alter table points_ledger drop constraint points_ledger_source`,
  `alter table points_ledger add constraint points_ledger_source check (
     (reason = 'redemption') = (redemption_id is not null)
     and (reason in ('service_hours','hours_reversed')) = (signup_id is not null)
     and (reason = 'problem_report') = (problem_id is not null))`,
  `create unique index points_ledger_problem_once on points_ledger (problem_id)
     where reason = 'problem_report'`,
];

/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `drop index if exists points_ledger_problem_once`,
    `alter table points_ledger drop constraint points_ledger_source`,
    `delete from points_ledger where reason = 'problem_report'`,
    `alter table points_ledger drop column problem_id`,
    `alter table points_ledger add constraint points_ledger_source check (
       (reason = 'redemption') = (redemption_id is not null)
       and (reason = 'redemption') = (signup_id is null))`,
    `alter table points_ledger drop constraint points_ledger_reason_check`,
    `alter table points_ledger add constraint points_ledger_reason_check
       check (reason in ('service_hours','hours_reversed','redemption'))`,
    `drop index photos_unattached`,
    `create index photos_unattached on photos (uploaded_by, created_at)
       where topic_id is null and action_update_id is null`,
    `alter table photos drop constraint photos_position_when_attached`,
    `alter table photos drop constraint photos_one_owner`,
    `delete from photos where problem_id is not null or problem_event_id is not null`,
    `alter table photos drop column problem_event_id`,
    `alter table photos drop column problem_id`,
    `alter table photos add constraint photos_check check (num_nonnulls(topic_id, action_update_id) <= 1)`,
    `alter table photos add constraint photos_check1
       check ((position is null) = (topic_id is null and action_update_id is null))`,
    `drop table problem_events`,
    `drop table problem_followers`,
    `drop table problem_reports`,
    `delete from role_assignments where role = 'grid_worker'`,
    `delete from invitations where role = 'grid_worker'`,
    `alter table role_assignments drop constraint role_assignments_role_check`,
    `alter table role_assignments add constraint role_assignments_role_check
       check (role in (${ROLES_BEFORE}))`,
    `alter table invitations drop constraint invitations_role_check`,
    `alter table invitations add constraint invitations_role_check check (role in (${ROLES_BEFORE}))`,
  ])
    await sql.raw(statement).execute(db);
}
