import type { Db } from '@tongxin/db/create-db';

/** The id of a demo account (or any user) by username. */
export async function userIdOf(db: Db, username: string): Promise<string> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The id of a place by name, under `parent` when names repeat (every compound has a 1号楼). */
export async function placeIdOf(db: Db, name: string, parent?: string): Promise<string> {
  let query = db.selectFrom('places').select('id').where('name', '=', name);
  if (parent) query = query.where('parentId', '=', parent);
  return (await query.executeTakeFirstOrThrow()).id;
}
