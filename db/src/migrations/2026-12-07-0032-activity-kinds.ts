import type { Kysely } from 'kysely';

// Frozen once released: never import application code here.
// One word for one dated piece of volunteer work (docs/decisions/0018-one-vocabulary.md): the
// notification kinds about it say activity, as its table does. Stored notifications take the
// new kinds, so the ones people already have still render. The column has no list of kinds
// to change (only a length check), and a notification's params keep their names.
const RENAMED = [
  ['shift_changed', 'activity_changed'],
  ['shift_cancelled', 'activity_cancelled'],
  ['shift_reminder', 'activity_reminder'],
] as const;

/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  for (const [before, now] of RENAMED)
    await db.updateTable('notifications').set({ kind: now }).where('kind', '=', before).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [before, now] of RENAMED)
    await db.updateTable('notifications').set({ kind: before }).where('kind', '=', now).execute();
}
