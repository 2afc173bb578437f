import { sql, type Kysely } from 'kysely';

// Frozen once released: never import application code here.
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  // 服务队: a community's service teams.
  await db.schema
    .createTable('teams')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('community_id', 'uuid', (c) => c.notNull().references('places.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`kind in ('charity','mediation','mutual_aid','party_commando','patrol','civility','environment','elder_care','custom')`,
        ),
    )
    .addColumn('custom_kind', 'text')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('join_policy', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`join_policy in ('open','approval')`),
    )
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('teams_name_len', sql`char_length(name) between 1 and 40`)
    .addCheckConstraint(
      'teams_custom_kind',
      sql`(kind = 'custom') = (custom_kind is not null and char_length(custom_kind) between 1 and 20)`,
    )
    .addUniqueConstraint('teams_name_unique', ['community_id', 'name'])
    .execute();

  await db.schema
    .createTable('team_members')
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) =>
      c
        .notNull()
        .defaultTo('member')
        .check(sql`role in ('leader','member')`),
    )
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('active')
        .check(sql`status in ('pending','active')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'user_id'])
    .addCheckConstraint('team_members_leader_active', sql`role = 'member' or status = 'active'`)
    .execute();
  await db.schema
    .createIndex('team_members_user_idx')
    .on('team_members')
    .column('user_id')
    .execute();

  // 集中服务日: a rule that generates activities on fixed days of every month.
  await db.schema
    .createTable('service_day_rules')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('community_id', 'uuid', (c) => c.notNull().references('places.id'))
    .addColumn('team_id', 'uuid', (c) => c.references('teams.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('days_of_month', sql`smallint[]`, (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('members_only', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'service_day_rules_days',
      sql`cardinality(days_of_month) between 1 and 31 and 1 <= all(days_of_month) and 31 >= all(days_of_month)`,
    )
    .addCheckConstraint(
      'service_day_rules_time',
      sql`start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`,
    )
    .addCheckConstraint('service_day_rules_duration', sql`duration_minutes between 15 and 720`)
    .addCheckConstraint('service_day_rules_capacity', sql`capacity between 1 and 1000`)
    .execute();

  // 活动: one activity with a capacity and a waiting list.
  await db.schema
    .createTable('activities')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('community_id', 'uuid', (c) => c.notNull().references('places.id'))
    .addColumn('team_id', 'uuid', (c) => c.references('teams.id'))
    .addColumn('service_day_rule_id', 'uuid', (c) => c.references('service_day_rules.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('requirements', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('members_only', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('scheduled')
        .check(sql`status in ('scheduled','cancelled')`),
    )
    // Moves with the sign-ups in the same transaction; the CHECK is the last word on capacity.
    .addColumn('confirmed_count', 'integer', (c) => c.notNull().defaultTo(0))
    // Every sign-up takes the next number under the activity's row lock: arrival order.
    .addColumn('signup_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('checkin_code', 'text', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('activities_title_len', sql`char_length(title) between 1 and 80`)
    .addCheckConstraint('activities_window', sql`ends_at > starts_at`)
    .addCheckConstraint('activities_capacity', sql`capacity between 1 and 1000`)
    .addCheckConstraint(
      'activities_within_capacity',
      sql`confirmed_count >= 0 and confirmed_count <= capacity`,
    )
    .addCheckConstraint(
      'activities_members_only_team',
      sql`not members_only or team_id is not null`,
    )
    .addUniqueConstraint('activities_service_day_once', ['service_day_rule_id', 'starts_at'])
    .addUniqueConstraint('activities_checkin_code', ['checkin_code'])
    .execute();
  await db.schema
    .createIndex('activities_community_idx')
    .on('activities')
    .columns(['community_id', 'starts_at'])
    .execute();

  await db.schema
    .createTable('signups')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('activity_id', 'uuid', (c) => c.notNull().references('activities.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('confirmed','waitlisted','cancelled')`),
    )
    .addColumn('arrival', 'integer', (c) => c.notNull())
    .addColumn('signed_up_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('promoted_at', 'timestamptz')
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('attendance', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`attendance in ('pending','present','no_show')`),
    )
    .addColumn('checked_in_at', 'timestamptz')
    .addColumn('checked_in_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('service_minutes', 'integer')
    .addColumn('hours_confirmed_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('hours_confirmed_at', 'timestamptz')
    .addColumn('reminded_at', 'timestamptz')
    .addUniqueConstraint('signups_arrival', ['activity_id', 'arrival'])
    .addCheckConstraint(
      'signups_attendance_confirmed',
      sql`attendance = 'pending' or status = 'confirmed'`,
    )
    .addCheckConstraint(
      'signups_present_checked_in',
      sql`(attendance = 'present') = (checked_in_at is not null)`,
    )
    .addCheckConstraint(
      'signups_hours_confirmed',
      sql`(service_minutes is null) = (hours_confirmed_at is null)
        and (service_minutes is null or (attendance = 'present' and service_minutes between 0 and 1440))`,
    )
    .execute();
  // Nobody holds two places on one activity.
  await sql`create unique index signups_one_live on signups (activity_id, user_id)
    where status <> 'cancelled'`.execute(db);
  await db.schema.createIndex('signups_user_idx').on('signups').column('user_id').execute();

  // 积分商城: what points buy, with stock.
  await db.schema
    .createTable('catalogue_items')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('community_id', 'uuid', (c) => c.notNull().references('places.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('cost', 'integer', (c) => c.notNull().check(sql`cost between 1 and 100000`))
    .addColumn('stock', 'integer', (c) => c.notNull().check(sql`stock >= 0`))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('catalogue_items_name_len', sql`char_length(name) between 1 and 40`)
    .execute();

  await db.schema
    .createTable('redemptions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('item_id', 'uuid', (c) => c.notNull().references('catalogue_items.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('community_id', 'uuid', (c) => c.notNull().references('places.id'))
    .addColumn('cost', 'integer', (c) => c.notNull().check(sql`cost > 0`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending','handed_over')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('handed_over_at', 'timestamptz')
    .addColumn('handed_over_by', 'uuid', (c) => c.references('users.id'))
    .execute();

  // 积分: an append-only ledger. A balance is the sum of a person's entries in a community;
  // nothing ever edits or deletes an entry, a correction is a new entry.
  await db.schema
    .createTable('points_ledger')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('community_id', 'uuid', (c) => c.notNull().references('places.id'))
    .addColumn('delta', 'integer', (c) => c.notNull().check(sql`delta <> 0`))
    .addColumn('reason', 'text', (c) =>
      c.notNull().check(sql`reason in ('service_hours','hours_reversed','redemption')`),
    )
    .addColumn('signup_id', 'uuid', (c) => c.references('signups.id'))
    .addColumn('redemption_id', 'uuid', (c) => c.references('redemptions.id'))
    .addColumn('balance_after', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'points_ledger_source',
      sql`(reason = 'redemption') = (redemption_id is not null)
        and (reason = 'redemption') = (signup_id is null)`,
    )
    // Spending can never take a balance below zero.
    .addCheckConstraint(
      'points_ledger_no_overdraft',
      sql`reason <> 'redemption' or balance_after >= 0`,
    )
    .execute();
  await db.schema
    .createIndex('points_ledger_account_idx')
    .on('points_ledger')
    .columns(['user_id', 'community_id', 'id'])
    .execute();
  await sql`create function points_ledger_append_only() returns trigger language plpgsql as $$
    begin raise exception 'points_ledger is append-only'; end $$`.execute(db);
  await sql`create trigger points_ledger_append_only before update or delete on points_ledger
    for each row execute function points_ledger_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists points_ledger_append_only on points_ledger`.execute(db);
  await sql`drop function if exists points_ledger_append_only()`.execute(db);
  for (const t of [
    'points_ledger',
    'redemptions',
    'catalogue_items',
    'signups',
    'activities',
    'service_day_rules',
    'team_members',
    'teams',
  ])
    await db.schema.dropTable(t).execute();
}
