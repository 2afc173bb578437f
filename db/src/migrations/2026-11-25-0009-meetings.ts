import { sql, type Kysely } from 'kysely';

// Frozen once released: never import application code here.
// The live meeting (议事), its results (办事) and their review (评事). Each rule a command
// relies on is also a constraint, so a bug or a race cannot store what the rules forbid.
const statements = [
  `alter table roundtables
     add column current_topic_id uuid references topics(id),
     add column timer_seconds integer check (timer_seconds between 30 and 1800),
     add column checkin_code text not null default replace(gen_random_uuid()::text, '-', ''),
     add column minutes_amend_until timestamptz,
     add column minutes_frozen_at timestamptz`,
  `alter table topics add column deferred boolean not null default false`,

  // Present: a person with an account once (phone or QR), or a name the chair wrote down.
  `create table attendance (
     id uuid primary key default gen_random_uuid(),
     roundtable_id uuid not null references roundtables(id) on delete cascade,
     user_id uuid references users(id) on delete cascade,
     name text not null check (char_length(name) between 1 and 30),
     part text not null check (part in ('chair','scribe','participant','guest')),
     how text not null check (how in ('qr','app','hand')),
     marked_by uuid references users(id),
     created_at timestamptz not null default now(),
     -- Only people without an account are counted by hand: nobody is counted twice.
     check ((how = 'hand') = (user_id is null))
   )`,
  `create unique index attendance_once on attendance (roundtable_id, user_id) where user_id is not null`,

  `create table speaking_turns (
     id uuid primary key default gen_random_uuid(),
     roundtable_id uuid not null references roundtables(id) on delete cascade,
     user_id uuid not null references users(id) on delete cascade,
     status text not null default 'waiting' check (status in ('waiting','speaking','done','withdrawn')),
     raised_at timestamptz not null default now(),
     started_at timestamptz,
     ended_at timestamptz,
     check ((status = 'waiting') = (started_at is null))
   )`,
  `create unique index speaking_turns_one_live on speaking_turns (roundtable_id, user_id)
     where status in ('waiting','speaking')`,
  `create unique index speaking_turns_one_speaker on speaking_turns (roundtable_id)
     where status = 'speaking'`,

  `create table proposals (
     id uuid primary key default gen_random_uuid(),
     topic_id uuid not null references topics(id) on delete cascade,
     text text not null check (char_length(text) between 1 and 300),
     proposed_by uuid not null references users(id),
     created_at timestamptz not null default now()
   )`,
  `create index proposals_topic_idx on proposals (topic_id)`,

  `create table votes (
     id uuid primary key default gen_random_uuid(),
     roundtable_id uuid not null references roundtables(id) on delete cascade,
     topic_id uuid not null references topics(id) on delete cascade,
     question text not null check (char_length(question) between 1 and 120),
     kind text not null check (kind in ('yes_no','choice')),
     hidden_tally boolean not null,
     status text not null default 'open' check (status in ('open','closed')),
     opened_by uuid not null references users(id),
     opened_at timestamptz not null default now(),
     closed_at timestamptz,
     counted integer check (counted >= 0),
     check ((status = 'closed') = (closed_at is not null and counted is not null))
   )`,
  `create unique index votes_one_open on votes (roundtable_id) where status = 'open'`,

  `create table ballots (
     vote_id uuid not null references votes(id) on delete cascade,
     user_id uuid not null references users(id) on delete cascade,
     choice text check (choice in ('support','oppose','abstain')),
     proposal_id uuid references proposals(id),
     created_at timestamptz not null default now(),
     primary key (vote_id, user_id),
     check ((choice is null) <> (proposal_id is null))
   )`,

  `create table hand_counts (
     vote_id uuid not null references votes(id) on delete cascade,
     option text not null check (char_length(option) between 1 and 36),
     count integer not null check (count >= 0),
     primary key (vote_id, option)
   )`,

  `create table resolutions (
     id uuid primary key default gen_random_uuid(),
     topic_id uuid not null unique references topics(id) on delete cascade,
     text text not null check (char_length(text) between 2 and 500),
     vote_id uuid references votes(id),
     recorded_by uuid not null references users(id),
     created_at timestamptz not null default now()
   )`,

  `create table action_items (
     id uuid primary key default gen_random_uuid(),
     roundtable_id uuid not null references roundtables(id) on delete cascade,
     resolution_id uuid not null references resolutions(id) on delete cascade,
     title text not null check (char_length(title) between 2 and 120),
     owner_kind text not null check (owner_kind in ('unit','team','person')),
     owner_unit_id uuid references units(id),
     owner_team_id uuid references teams(id),
     owner_user_id uuid references users(id),
     deadline date not null,
     status text not null default 'pending' check (status in ('pending','in_progress','blocked','done')),
     blocked_reason text,
     round integer not null default 1 check (round >= 1),
     created_by uuid not null references users(id),
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     check ((status = 'blocked') = (blocked_reason is not null)),
     check (num_nonnulls(owner_unit_id, owner_team_id, owner_user_id) = 1),
     check ((owner_kind = 'unit') = (owner_unit_id is not null)),
     check ((owner_kind = 'team') = (owner_team_id is not null)),
     check ((owner_kind = 'person') = (owner_user_id is not null))
   )`,
  `create index action_items_roundtable_idx on action_items (roundtable_id)`,

  `create table action_updates (
     id uuid primary key default gen_random_uuid(),
     item_id uuid not null references action_items(id) on delete cascade,
     author_id uuid not null references users(id),
     note text not null check (char_length(note) between 1 and 1000),
     status text check (status in ('pending','in_progress','blocked','done')),
     created_at timestamptz not null default now()
   )`,
  `create index action_updates_item_idx on action_updates (item_id, created_at)`,

  // Once each per round: an item sent back to 办事 and done again is rated afresh.
  `create table ratings (
     item_id uuid not null references action_items(id) on delete cascade,
     round integer not null,
     user_id uuid not null references users(id) on delete cascade,
     rating text not null check (rating in ('satisfied','basically_satisfied','dissatisfied')),
     comment text not null default '' check (char_length(comment) <= 300),
     created_at timestamptz not null default now(),
     primary key (item_id, round, user_id)
   )`,

  `create table minutes_versions (
     id uuid primary key default gen_random_uuid(),
     roundtable_id uuid not null references roundtables(id) on delete cascade,
     version integer not null check (version >= 1),
     kind text not null check (kind in ('draft','final')),
     text text not null,
     created_by uuid not null references users(id),
     created_at timestamptz not null default now(),
     unique (roundtable_id, version)
   )`,
  `create unique index minutes_one_final on minutes_versions (roundtable_id) where kind = 'final'`,
];

/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const tables = [
    'minutes_versions',
    'ratings',
    'action_updates',
    'action_items',
    'resolutions',
    'hand_counts',
    'ballots',
    'votes',
    'proposals',
    'speaking_turns',
    'attendance',
  ];
  for (const t of tables) await sql.raw(`drop table if exists ${t} cascade`).execute(db);
  await sql
    .raw(
      `alter table roundtables drop column current_topic_id, drop column timer_seconds,
       drop column checkin_code, drop column minutes_amend_until, drop column minutes_frozen_at`,
    )
    .execute(db);
  await sql.raw(`alter table topics drop column deferred`).execute(db);
}
