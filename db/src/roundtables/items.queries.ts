import type { Rating } from '@tongxin/shared/roundtables/action-items';
import type { OwnerChoices, OwnerKind } from '@tongxin/shared/roundtables/floor.schemas';
import type { ActionItemStatus } from '@tongxin/shared/roundtables/stages';
import type { DbOrTx } from '../create-db.ts';

/** The community a roundtable's place belongs to (a compound's parent). */
export async function communityOf(db: DbOrTx, placeId: string): Promise<string> {
  const place = await db
    .selectFrom('places')
    .select(['id', 'kind', 'parentId'])
    .where('id', '=', placeId)
    .executeTakeFirstOrThrow();
  return place.kind === 'compound' && place.parentId ? place.parentId : place.id;
}

/** Who can answer for an item: invited or reported units, the community's teams, its people. */
export async function ownerChoices(
  db: DbOrTx,
  roundtable: { id: string; placeId: string },
): Promise<OwnerChoices> {
  const communityId = await communityOf(db, roundtable.placeId);
  const units = await db
    .selectFrom('units as u')
    .select(['u.id', 'u.name'])
    .where((eb) =>
      eb.or([
        eb(
          'u.id',
          'in',
          eb
            .selectFrom('roundtableUnits')
            .select('unitId')
            .where('roundtableId', '=', roundtable.id),
        ),
        eb(
          'u.id',
          'in',
          eb.selectFrom('unitReports').select('unitId').where('communityId', '=', communityId),
        ),
      ]),
    )
    .orderBy('u.name')
    .execute();
  const teams = await db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('communityId', '=', communityId)
    .orderBy('name')
    .execute();
  const people = await db
    .selectFrom('users as u')
    .select(['u.id', 'u.displayName as name'])
    .where('u.id', 'in', (eb) =>
      eb
        .selectFrom('roleAssignments as r')
        .innerJoin('places as p', 'p.id', 'r.placeId')
        .select('r.userId')
        .where((w) => w.or([w('p.id', '=', communityId), w('p.parentId', '=', communityId)])),
    )
    .orderBy('u.displayName')
    .limit(300)
    .execute();
  return { units, teams, people };
}

/** The resolution (议定事项) recorded for a topic, if any. */
export function resolutionOfTopic(db: DbOrTx, topicId: string) {
  return db
    .selectFrom('resolutions')
    .select('id')
    .where('topicId', '=', topicId)
    .executeTakeFirst();
}

export interface NewActionItem {
  roundtableId: string;
  resolutionId: string;
  title: string;
  ownerKind: OwnerKind;
  ownerId: string;
  deadline: string;
  createdBy: string;
}

/** Assigns an action item; answers with its id and owner columns. */
export function insertActionItem(db: DbOrTx, item: NewActionItem) {
  const { ownerId, ...rest } = item;
  return db
    .insertInto('actionItems')
    .values({
      ...rest,
      ownerUnitId: item.ownerKind === 'unit' ? ownerId : null,
      ownerTeamId: item.ownerKind === 'team' ? ownerId : null,
      ownerUserId: item.ownerKind === 'person' ? ownerId : null,
    })
    .returning(['id', 'ownerUnitId', 'ownerTeamId', 'ownerUserId'])
    .executeTakeFirstOrThrow();
}

/** The item, its row locked for the rest of the transaction. */
export async function lockActionItem(db: DbOrTx, itemId: string) {
  return db
    .selectFrom('actionItems')
    .selectAll()
    .where('id', '=', itemId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export interface NewActionUpdate {
  itemId: string;
  authorId: string;
  note: string;
  /** The status it moved to, or null for a note only. */
  status: ActionItemStatus | null;
}

export async function insertActionUpdate(db: DbOrTx, update: NewActionUpdate): Promise<string> {
  const row = await db
    .insertInto('actionUpdates')
    .values(update)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Moves an item to a status; the blocked reason goes with `blocked` only. */
export async function moveActionItem(
  db: DbOrTx,
  itemId: string,
  status: ActionItemStatus,
  blockedReason: string | null,
): Promise<void> {
  await db
    .updateTable('actionItems')
    .set({
      status,
      blockedReason: status === 'blocked' ? blockedReason : null,
      updatedAt: new Date(),
    })
    .where('id', '=', itemId)
    .execute();
}

/** Everyone signed in who was checked in at the roundtable. */
export async function attendeeIds(db: DbOrTx, roundtableId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('attendance')
    .select('userId')
    .where('roundtableId', '=', roundtableId)
    .where('userId', 'is not', null)
    .execute();
  return rows.map((r) => r.userId!);
}

export interface NewRating {
  itemId: string;
  round: number;
  userId: string;
  rating: Rating;
  comment: string;
}

/** One rating per person per round: false when this person already rated this round. */
export async function insertRating(db: DbOrTx, rating: NewRating): Promise<boolean> {
  const rated = await db
    .insertInto('ratings')
    .values(rating)
    .onConflict((oc) => oc.columns(['itemId', 'round', 'userId']).doNothing())
    .returning('userId')
    .executeTakeFirst();
  return rated !== undefined;
}

/** The ratings of an item's round. */
export async function roundRatings(db: DbOrTx, itemId: string, round: number) {
  const rows = await db
    .selectFrom('ratings')
    .select('rating')
    .where('itemId', '=', itemId)
    .where('round', '=', round)
    .execute();
  return rows.map((r) => r.rating);
}

/** Back to 办事: the next round is rated afresh. */
export async function reopenActionItem(db: DbOrTx, itemId: string, round: number): Promise<void> {
  await db
    .updateTable('actionItems')
    .set({ status: 'in_progress', round: round + 1, updatedAt: new Date() })
    .where('id', '=', itemId)
    .execute();
}
