import { sql, type Kysely } from 'kysely';

// Frozen once released: never import application code here.
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  // 单位报到: one report per unit per community, filed by one of its representatives.
  await db.schema
    .createTable('unit_reports')
    .addColumn('community_id', 'uuid', (c) => c.notNull().references('places.id'))
    .addColumn('unit_id', 'uuid', (c) => c.notNull().references('units.id'))
    .addColumn('contact', 'text', (c) => c.notNull())
    .addColumn('commitment', 'text', (c) => c.notNull())
    .addColumn('reported_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('reported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('unit_reports_pk', ['community_id', 'unit_id'])
    .addCheckConstraint(
      'unit_reports_commitment_len',
      sql`char_length(commitment) between 1 and 500`,
    )
    .execute();

  // 个人报到: a party member reports to the one community where they live.
  await db.schema
    .createTable('member_reports')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('community_id', 'uuid', (c) => c.notNull().references('places.id'))
    .addColumn('unit_name', 'text', (c) => c.notNull())
    .addColumn('skills', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending','confirmed','rejected')`),
    )
    .addColumn('reason', 'text')
    .addColumn('reviewed_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('reported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('reviewed_at', 'timestamptz')
    .addCheckConstraint(
      'member_reports_reviewed',
      sql`(status = 'pending') = (reviewed_at is null)`,
    )
    .execute();
  await sql`create unique index member_reports_one_live on member_reports (user_id)
    where status <> 'rejected'`.execute(db);

  // 三个清单: needs (incl. micro-wishes), resources, projects (incl. tasks).
  await db.schema
    .createTable('claim_items')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('community_id', 'uuid', (c) => c.notNull().references('places.id'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('need','wish','resource','project','task')`),
    )
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending_review','open','rejected','closed')`),
    )
    .addColumn('review_note', 'text')
    .addColumn('posted_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('unit_id', 'uuid', (c) => c.references('units.id'))
    .addColumn('availability', 'text')
    .addColumn('quota', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`quota between 1 and 100`),
    )
    // Moves with the claims in the same transaction; the CHECK is the last word on capacity.
    .addColumn('active_claims', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('due_at', 'timestamptz')
    .addColumn('action_item_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('claim_items_title_len', sql`char_length(title) between 1 and 80`)
    .addCheckConstraint(
      'claim_items_within_quota',
      sql`active_claims >= 0 and active_claims <= quota`,
    )
    .addCheckConstraint(
      'claim_items_resource_unit',
      sql`(kind = 'resource') = (unit_id is not null)`,
    )
    .execute();
  await db.schema
    .createIndex('claim_items_community_idx')
    .on('claim_items')
    .columns(['community_id', 'kind', 'status'])
    .execute();

  // 双认领: units claim projects, members claim tasks and wishes.
  await db.schema
    .createTable('claims')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('item_id', 'uuid', (c) => c.notNull().references('claim_items.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('unit_id', 'uuid', (c) => c.references('units.id'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('claimed')
        .check(sql`status in ('claimed','in_progress','delivered','confirmed','withdrawn')`),
    )
    .addColumn('delivery_note', 'text')
    .addColumn('rating', 'smallint', (c) => c.check(sql`rating between 1 and 5`))
    .addColumn('rating_comment', 'text')
    .addColumn('confirmed_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('withdrawn_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'claims_delivered_has_note',
      sql`status not in ('delivered','confirmed') or (delivery_note is not null and delivered_at is not null)`,
    )
    .addCheckConstraint(
      'claims_confirmed_rated',
      sql`(status = 'confirmed') = (confirmed_at is not null and rating is not null)`,
    )
    .execute();
  // Nobody holds a place twice: one live claim per unit, or per person claiming for themselves.
  await sql`create unique index claims_one_per_unit on claims (item_id, unit_id)
    where unit_id is not null and status <> 'withdrawn'`.execute(db);
  await sql`create unique index claims_one_per_member on claims (item_id, user_id)
    where unit_id is null and status <> 'withdrawn'`.execute(db);
  await db.schema.createIndex('claims_user_idx').on('claims').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['claims', 'claim_items', 'member_reports', 'unit_reports'])
    await db.schema.dropTable(t).execute();
}
