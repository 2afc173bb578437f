import { sql, type Kysely } from 'kysely';

// Frozen once released: never import application code here.
// 随手拍 → 圆桌会: a problem report raised to a roundtable topic in one step. The report keeps
// a link to the topic it became (at most one: the column; and a topic comes from at most one
// report: the unique constraint, whose index also answers "which report is this topic from?").
const KINDS_BEFORE = `'submitted','accepted','declined','started','resolved','confirmed','reopened','merged','escalated'`;
const KINDS_NOW = `${KINDS_BEFORE},'raised'`;

const statements = [
  `alter table problem_reports add column topic_id uuid references topics(id) on delete set null`,
  `alter table problem_reports add constraint problem_reports_topic_once unique (topic_id)`,
  `alter table problem_events drop constraint problem_events_kind_check`,
  `alter table problem_events add constraint problem_events_kind_check
     check (kind in (${KINDS_NOW}))`,
];

/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `delete from problem_events where kind = 'raised'`,
    `alter table problem_events drop constraint problem_events_kind_check`,
    `alter table problem_events add constraint problem_events_kind_check
       check (kind in (${KINDS_BEFORE}))`,
    `alter table problem_reports drop constraint problem_reports_topic_once`,
    `alter table problem_reports drop column topic_id`,
  ])
    await sql.raw(statement).execute(db);
}
