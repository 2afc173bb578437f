import { sql, type Kysely } from 'kysely';

// Frozen once released: never import application code here.
// An action item (办事) handed on: published as a 双报到 project units claim, or as a team's
// activity. Each side points back at the item, at most one of each per item, and a project is
// the only kind of claim item that may. An activity is completed by its team (completed_at),
// which is what moves its item to done; a dissatisfied review clears it again.
const statements = [
  `alter table claim_items
     add constraint claim_items_action_item_fk
       foreign key (action_item_id) references action_items(id) on delete set null,
     add constraint claim_items_action_item_project
       check (action_item_id is null or kind = 'project')`,
  `create unique index claim_items_one_per_action_item on claim_items (action_item_id)
     where action_item_id is not null`,
  `alter table activities
     add column action_item_id uuid references action_items(id) on delete set null,
     add column completed_at timestamptz,
     add column completed_by uuid references users(id),
     add column completion_note text check (char_length(completion_note) between 1 and 1000),
     add constraint activities_completed_by
       check ((completed_at is null) = (completed_by is null and completion_note is null))`,
  `create unique index activities_one_per_action_item on activities (action_item_id)
     where action_item_id is not null`,
];

/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists activities_one_per_action_item`.execute(db);
  await sql
    .raw(
      `alter table activities drop constraint activities_completed_by,
       drop column completion_note, drop column completed_by, drop column completed_at,
       drop column action_item_id`,
    )
    .execute(db);
  await sql`drop index if exists claim_items_one_per_action_item`.execute(db);
  await sql
    .raw(
      `alter table claim_items drop constraint claim_items_action_item_project,
       drop constraint claim_items_action_item_fk`,
    )
    .execute(db);
}
