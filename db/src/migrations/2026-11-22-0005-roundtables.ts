import { sql, type Kysely } from 'kysely';

// Frozen once released: never import application code here.
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('roundtables')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('place_id', 'uuid', (c) => c.notNull().references('places.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    // The community's own name for its roundtable: 幸福家园圆桌会, 居民恳谈会 …
    .addColumn('local_name', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('stage', 'text', (c) =>
      c
        .notNull()
        .defaultTo('raise')
        .check(sql`stage in ('raise','discuss','act','review','closed')`),
    )
    .addColumn('quorum', 'integer', (c) => c.check(sql`quorum is null or quorum > 0`))
    .addColumn('chair_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('open_minutes', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('hidden_tally', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('dissatisfied_threshold', 'numeric', (c) =>
      c
        .notNull()
        .defaultTo(0.5)
        .check(sql`dissatisfied_threshold > 0 and dissatisfied_threshold < 1`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('stage_changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('roundtables_title_len', sql`char_length(title) between 1 and 80`)
    .execute();
  await db.schema
    .createIndex('roundtables_place_idx')
    .on('roundtables')
    .columns(['place_id', 'starts_at'])
    .execute();

  await db.schema
    .createTable('roundtable_units')
    .addColumn('roundtable_id', 'uuid', (c) =>
      c.notNull().references('roundtables.id').onDelete('cascade'),
    )
    .addColumn('unit_id', 'uuid', (c) => c.notNull().references('units.id'))
    .addPrimaryKeyConstraint('roundtable_units_pk', ['roundtable_id', 'unit_id'])
    .execute();

  await db.schema
    .createTable('topics')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('roundtable_id', 'uuid', (c) =>
      c.notNull().references('roundtables.id').onDelete('cascade'),
    )
    .addColumn('raised_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('category', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`category in ('parking','ebike_charging','stray_animals','rubbish_sorting','renovation','property_fees','safety','environment','elder_care','other')`,
        ),
    )
    .addColumn('location', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('submitted')
        .check(sql`status in ('submitted','accepted','merged','declined')`),
    )
    .addColumn('agenda_position', 'integer')
    .addColumn('merged_into', 'uuid', (c) => c.references('topics.id'))
    .addColumn('decline_reason', 'text')
    .addColumn('screened_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('screened_at', 'timestamptz')
    .addColumn('cosign_count', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`cosign_count >= 0`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('topics_title_len', sql`char_length(title) between 1 and 80`)
    // Each screening outcome carries what the raiser needs to see.
    .addCheckConstraint(
      'topics_accepted_on_agenda',
      sql`(status = 'accepted') = (agenda_position is not null)`,
    )
    .addCheckConstraint(
      'topics_merged_has_target',
      sql`(status = 'merged') = (merged_into is not null)`,
    )
    .addCheckConstraint(
      'topics_declined_has_reason',
      sql`(status = 'declined') = (decline_reason is not null and char_length(decline_reason) > 0)`,
    )
    .addCheckConstraint(
      'topics_not_merged_into_itself',
      sql`merged_into is null or merged_into <> id`,
    )
    .execute();
  await db.schema
    .createIndex('topics_roundtable_idx')
    .on('topics')
    .columns(['roundtable_id', 'status'])
    .execute();

  await db.schema
    .createTable('topic_cosigns')
    .addColumn('topic_id', 'uuid', (c) => c.notNull().references('topics.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // 附议 once each: the key is the rule.
    .addPrimaryKeyConstraint('topic_cosigns_pk', ['topic_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['topic_cosigns', 'topics', 'roundtable_units', 'roundtables']) {
    await db.schema.dropTable(t).ifExists().cascade().execute();
  }
}
