import { sql } from 'kysely';
import type { PhotoType } from '@tongxin/shared/roundtables/photos';
import type { DbOrTx } from '../create-db.ts';

export interface NewPhoto {
  uploadedBy: string;
  contentType: PhotoType;
  bytes: Uint8Array;
  width: number | null;
  height: number | null;
}

export async function insertPhoto(db: DbOrTx, photo: NewPhoto): Promise<string> {
  const row = await db.insertInto('photos').values(photo).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Deletes the user's photos uploaded before `olderThan` and never attached (a form left
 * unsent), and says how many unattached ones remain.
 */
export async function pruneUnattachedPhotos(
  db: DbOrTx,
  userId: string,
  olderThan: Date,
): Promise<number> {
  const unattached = db
    .selectFrom('photos')
    .where('uploadedBy', '=', userId)
    .where('position', 'is', null);
  await db
    .deleteFrom('photos')
    .where('id', 'in', unattached.select('id').where('createdAt', '<', olderThan))
    .execute();
  const left = await unattached
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(left.n);
}

/** Where a photo is attached, without its bytes: enough to decide who may see it. */
export function photoPlace(db: DbOrTx, id: string) {
  return (
    db
      .selectFrom('photos as p')
      .leftJoin('topics as t', 't.id', 'p.topicId')
      .leftJoin('actionUpdates as d', 'd.id', 'p.actionUpdateId')
      .leftJoin('actionItems as i', 'i.id', 'd.itemId')
      .select([
        'p.id',
        'p.uploadedBy',
        'p.contentType',
        'p.topicId',
        'p.actionUpdateId',
        't.status as topicStatus',
        't.raisedBy as topicRaisedBy',
      ])
      // A problem report's photos are seen by anyone signed in, like the report (公示).
      .select(
        sql<boolean>`p.problem_id is not null or p.problem_event_id is not null`.as('ofProblem'),
      )
      // A delivered claim's photos are seen like the claims board: anyone signed in.
      .select(sql<boolean>`p.claim_id is not null`.as('ofClaim'))
      .select((eb) => eb.fn.coalesce('t.roundtableId', 'i.roundtableId').as('roundtableId'))
      .where('p.id', '=', id)
      .executeTakeFirst()
  );
}

export async function photoBytes(db: DbOrTx, id: string): Promise<Uint8Array | undefined> {
  const row = await db.selectFrom('photos').select('bytes').where('id', '=', id).executeTakeFirst();
  return row?.bytes;
}

/** The photos about to be attached, locked so that two posts cannot both take one. */
export function lockPhotos(tx: DbOrTx, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return tx
    .selectFrom('photos')
    .select(['id', 'uploadedBy', 'topicId', 'actionUpdateId', 'position'])
    .where('id', 'in', ids)
    .forUpdate()
    .execute();
}

/** Attaches unattached photos in the order given; returns how many were attached. */
export async function attachPhotos(
  tx: DbOrTx,
  ids: string[],
  to:
    | { topicId: string }
    | { actionUpdateId: string }
    | { problemId: string }
    | { problemEventId: string }
    | { claimId: string },
): Promise<number> {
  let attached = 0;
  for (const [position, id] of ids.entries()) {
    const result = await tx
      .updateTable('photos')
      .set({ ...to, position, attachedAt: new Date() })
      .where('id', '=', id)
      .where('position', 'is', null)
      .executeTakeFirst();
    attached += Number(result.numUpdatedRows);
  }
  return attached;
}

/** Photo ids of each topic (or each update), in their order. */
export async function photoIdsOf(
  db: DbOrTx,
  owner: 'topicId' | 'actionUpdateId',
  ownerIds: string[],
): Promise<Map<string, string[]>> {
  const byOwner = new Map<string, string[]>();
  if (ownerIds.length === 0) return byOwner;
  const rows = await db
    .selectFrom('photos')
    .select((eb) => ['id', eb.ref(owner).as('ownerId')])
    .where(owner, 'in', ownerIds)
    .orderBy('position')
    .execute();
  for (const { id, ownerId } of rows) byOwner.set(ownerId!, [...(byOwner.get(ownerId!) ?? []), id]);
  return byOwner;
}
