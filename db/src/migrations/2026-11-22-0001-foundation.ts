import { sql, type Kysely } from 'kysely';

// Frozen once released: never import application code here.
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) =>
      c
        .notNull()
        .defaultTo('zh-CN')
        .check(sql`locale in ('zh-CN', 'en')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('users_display_name_len', sql`char_length(display_name) between 1 and 40`)
    .execute();
  // Usernames are unique regardless of case: "Resident" and "resident" are one person.
  await sql`create unique index users_username_key on users (lower(username))`.execute(db);
  await sql`create unique index users_phone_key on users (phone) where phone is not null`.execute(
    db,
  );

  await db.schema
    .createTable('sessions')
    // SHA-256 of the session token: the database never holds a usable token.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('sessions_user_id_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('login_failures')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('username_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('login_failures_key_idx')
    .on('login_failures')
    .columns(['username_key', 'created_at'])
    .execute();

  await db.schema
    .createTable('places')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('parent_id', 'uuid', (c) => c.references('places.id').onDelete('restrict'))
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(sql`kind in ('district','subdistrict','community','compound','building','grid')`),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('grid_id', 'uuid', (c) => c.references('places.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('places_root_is_district', sql`(parent_id is null) = (kind = 'district')`)
    .addCheckConstraint('places_grid_only_on_buildings', sql`grid_id is null or kind = 'building'`)
    .execute();
  await db.schema.createIndex('places_parent_idx').on('places').column('parent_id').execute();
  await sql`create unique index places_sibling_name_key on places (parent_id, kind, name)`.execute(
    db,
  );
  // The hierarchy district → sub-district → community → compound → building (grids under a
  // community) is a rule of the data, so the database checks it, not only the code.
  await sql`
    create function places_check_parent() returns trigger language plpgsql as $$
    declare parent_kind text;
    begin
      if new.parent_id is null then return new; end if;
      select kind into parent_kind from places where id = new.parent_id;
      if not (
        (new.kind = 'subdistrict' and parent_kind = 'district') or
        (new.kind = 'community' and parent_kind = 'subdistrict') or
        (new.kind = 'compound' and parent_kind = 'community') or
        (new.kind = 'building' and parent_kind = 'compound') or
        (new.kind = 'grid' and parent_kind = 'community')
      ) then
        raise exception 'a % cannot sit under a %', new.kind, parent_kind using errcode = '23514';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger places_check_parent before insert or update on places
    for each row execute function places_check_parent()`.execute(db);

  await db.schema
    .createTable('units')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`kind in ('agency','enterprise','institution','property_company','owners_committee','other')`,
        ),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('role_assignments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`role in ('resident','secretary','scribe','volunteer','team_leader','unit_rep','party_member','organiser')`,
        ),
    )
    .addColumn('place_id', 'uuid', (c) => c.notNull().references('places.id').onDelete('cascade'))
    .addColumn('unit_id', 'uuid', (c) => c.references('units.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'role_assignments_unit_rep_has_unit',
      sql`(role = 'unit_rep') = (unit_id is not null)`,
    )
    .execute();
  await sql`create unique index role_assignments_key on role_assignments
    (user_id, role, place_id, unit_id) nulls not distinct`.execute(db);
  await db.schema
    .createIndex('role_assignments_place_idx')
    .on('role_assignments')
    .column('place_id')
    .execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`role in ('resident','secretary','scribe','volunteer','team_leader','unit_rep','party_member','organiser')`,
        ),
    )
    .addColumn('place_id', 'uuid', (c) => c.notNull().references('places.id').onDelete('cascade'))
    .addColumn('unit_id', 'uuid', (c) => c.references('units.id').onDelete('cascade'))
    .addColumn('invited_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('note', 'text')
    .addColumn('max_uses', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`max_uses between 1 and 500`),
    )
    .addColumn('used_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('invitations_uses_within_max', sql`used_count between 0 and max_uses`)
    .addCheckConstraint(
      'invitations_unit_rep_has_unit',
      sql`(role = 'unit_rep') = (unit_id is not null)`,
    )
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('actor_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Append-only: an audit trail that can be edited is no audit trail.
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and old.actor_id is not null and new.actor_id is null
         and (to_jsonb(old) - 'actor_id') = (to_jsonb(new) - 'actor_id') then
        return new; -- a deleted user's rows keep everything but the link
      end if;
      raise exception 'audit_log is append-only' using errcode = '42501';
    end $$`.execute(db);
  await sql`create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'audit_log',
    'invitations',
    'role_assignments',
    'units',
    'places',
    'login_failures',
    'sessions',
    'users',
  ]) {
    await db.schema.dropTable(t).ifExists().cascade().execute();
  }
  await sql`drop function if exists audit_log_append_only, places_check_parent`.execute(db);
}
