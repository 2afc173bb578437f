import { sql, type Kysely } from 'kysely';

// Frozen once released: never import application code here.
// Guests of a roundtable (访客): people from outside the place who join by the chair's link
// with only a display name, watch, and speak when the chair lets them.
const statements = [
  // A guest is a real users row, so sessions, the room's identity and attendance need
  // nothing new. `kind` marks it, so the database itself refuses what a guest must never
  // have: a role at a place (the trigger below) or a seat at a second roundtable; and login
  // refuses a guest whatever its password hash (an unusable '!' that argon2 cannot verify).
  `alter table users add column kind text not null default 'person'
     check (kind in ('person','guest'))`,

  // One live link per roundtable. Only the SHA-256 of its token is kept, as for sessions:
  // the chair sees the link once, and rotating or revoking it makes the old one useless.
  `create table roundtable_guest_links (
     roundtable_id uuid primary key references roundtables(id) on delete cascade,
     token_hash text not null unique check (char_length(token_hash) = 64),
     created_by uuid not null references users(id),
     created_at timestamptz not null default now()
   )`,

  `create table roundtable_guests (
     roundtable_id uuid not null references roundtables(id) on delete cascade,
     user_id uuid not null references users(id) on delete cascade,
     may_speak boolean not null default false,
     joined_at timestamptz not null default now(),
     primary key (roundtable_id, user_id)
   )`,
  // A guest account belongs to the one roundtable whose link made it.
  `create unique index roundtable_guests_one_table on roundtable_guests (user_id)`,

  `create function users_guest_rules() returns trigger language plpgsql as $$
   declare k text;
   begin
     select kind into k from users where id = new.user_id;
     if tg_table_name = 'role_assignments' and k = 'guest' then
       raise exception 'a guest holds no roles' using errcode = '23514';
     end if;
     if tg_table_name = 'roundtable_guests' and k is distinct from 'guest' then
       raise exception 'only guest accounts join as guests' using errcode = '23514';
     end if;
     return new;
   end $$`,
  `create trigger role_assignments_no_guests before insert or update on role_assignments
     for each row execute function users_guest_rules()`,
  `create trigger roundtable_guests_only_guests before insert or update on roundtable_guests
     for each row execute function users_guest_rules()`,
];

/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql
    .raw(`drop trigger if exists role_assignments_no_guests on role_assignments`)
    .execute(db);
  await sql.raw(`drop table if exists roundtable_guests cascade`).execute(db);
  await sql.raw(`drop table if exists roundtable_guest_links cascade`).execute(db);
  await sql.raw(`drop function if exists users_guest_rules`).execute(db);
  await sql.raw(`alter table users drop column kind`).execute(db);
}
