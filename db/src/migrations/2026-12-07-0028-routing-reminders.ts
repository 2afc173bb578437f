import { sql, type Kysely } from 'kysely';

// Frozen once released: never import application code here.
// 随手拍 routing: per community and category, who receives a report (the grid's worker by
// default, a reported unit or a service team), with optional time limits of its own; each
// report keeps the owner it was routed to. Reminders: each "due soon" or "overdue" notice is
// sent once, whatever the number of instances sweeping (reminders_sent). Claims: a delivery
// carries photos.
const CATEGORIES = `'parking','ebike_charging','rubbish','stray_animals','broken_facility','safety_hazard','other'`;

const statements = [
  `create table problem_routes (
     community_id uuid not null references places(id) on delete cascade,
     category text not null check (category in (${CATEGORIES})),
     owner_kind text not null check (owner_kind in ('grid','unit','team')),
     unit_id uuid references units(id) on delete cascade,
     team_id uuid references teams(id) on delete cascade,
     respond_hours integer check (respond_hours between 1 and 720),
     resolve_days integer check (resolve_days between 1 and 365),
     set_by uuid not null references users(id),
     updated_at timestamptz not null default now(),
     primary key (community_id, category),
     check ((owner_kind = 'unit') = (unit_id is not null)),
     check ((owner_kind = 'team') = (team_id is not null))
   )`,

  // The owner a report was routed to when it was made: none (its grid) or one unit or team.
  `alter table problem_reports add column owner_unit_id uuid references units(id)`,
  `alter table problem_reports add column owner_team_id uuid references teams(id)`,
  `alter table problem_reports add constraint problem_reports_one_owner
     check (num_nonnulls(owner_unit_id, owner_team_id) <= 1)`,

  // One row per reminder ever sent: the key makes a second sending impossible.
  `create table reminders_sent (
     subject_kind text not null check (subject_kind in ('action_item','claim','problem')),
     subject_id uuid not null,
     reminder_kind text not null check (reminder_kind in ('due_soon','overdue')),
     -- What it was due by (the deadline and round, the due date, the time limit): a new
     -- deadline is a new reminder.
     due_key text not null check (char_length(due_key) between 1 and 60),
     sent_at timestamptz not null default now(),
     primary key (subject_kind, subject_id, reminder_kind, due_key)
   )`,

  // A delivered claim carries its photos.
  `alter table photos add column claim_id uuid references claims(id) on delete cascade`,
  `alter table photos drop constraint photos_one_owner`,
  `alter table photos add constraint photos_one_owner
     check (num_nonnulls(topic_id, action_update_id, problem_id, problem_event_id, claim_id) <= 1)`,
  `alter table photos drop constraint photos_position_when_attached`,
  `alter table photos add constraint photos_position_when_attached
     check ((position is null) = (num_nonnulls(topic_id, action_update_id, problem_id,
       problem_event_id, claim_id) = 0))`,
  `create unique index photos_claim_position on photos (claim_id, position)
     where claim_id is not null`,
];

/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `drop index photos_claim_position`,
    `alter table photos drop constraint photos_position_when_attached`,
    `alter table photos drop constraint photos_one_owner`,
    `delete from photos where claim_id is not null`,
    `alter table photos drop column claim_id`,
    `alter table photos add constraint photos_one_owner
       check (num_nonnulls(topic_id, action_update_id, problem_id, problem_event_id) <= 1)`,
    `alter table photos add constraint photos_position_when_attached
       check ((position is null) = (num_nonnulls(topic_id, action_update_id, problem_id,
         problem_event_id) = 0))`,
    `drop table reminders_sent`,
    `alter table problem_reports drop constraint problem_reports_one_owner`,
    `alter table problem_reports drop column owner_team_id`,
    `alter table problem_reports drop column owner_unit_id`,
    `drop table problem_routes`,
  ])
    await sql.raw(statement).execute(db);
}
