import { sql, type Kysely } from 'kysely';

// Frozen once released: never import application code here.
// Photos residents attach to a topic they raise, and owners to a progress update. Kept in
// the database (a few hundred KB each once the web has scaled them) so a backup holds them.
const statements = [
  // A photo is uploaded first, unattached, then attached by the post that carries it: to one
  // topic or one update, never both, in one of four places. The unique indexes below make
  // "at most four" and "not twice in one place" hold even under a race.
  `create table photos (
     id uuid primary key default gen_random_uuid(),
     uploaded_by uuid not null references users(id),
     content_type text not null check (content_type in ('image/jpeg','image/png','image/webp')),
     bytes bytea not null check (octet_length(bytes) between 1 and 5242880),
     width integer check (width between 1 and 65535),
     height integer check (height between 1 and 65535),
     topic_id uuid references topics(id) on delete cascade,
     action_update_id uuid references action_updates(id) on delete cascade,
     position smallint check (position between 0 and 3),
     created_at timestamptz not null default now(),
     attached_at timestamptz,
     check (num_nonnulls(topic_id, action_update_id) <= 1),
     check ((position is null) = (topic_id is null and action_update_id is null)),
     check ((attached_at is null) = (position is null))
   )`,
  `create unique index photos_topic_position on photos (topic_id, position)
     where topic_id is not null`,
  `create unique index photos_update_position on photos (action_update_id, position)
     where action_update_id is not null`,
  `create index photos_unattached on photos (uploaded_by, created_at)
     where topic_id is null and action_update_id is null`,
];

/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`drop table if exists photos cascade`).execute(db);
}
