import { sql } from 'kysely';
import type { DbOrTx } from '../create-db.ts';
import type { Claim, ClaimItem, MemberReport } from './claims.tables.ts';

/** The item, locked until the transaction ends: claims on one item queue here. */
export function lockClaimItem(db: DbOrTx, id: string): Promise<ClaimItem | undefined> {
  return db
    .selectFrom('claimItems')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function lockClaim(db: DbOrTx, id: string): Promise<Claim | undefined> {
  return db.selectFrom('claims').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/**
 * Communities a user belongs to (a role in or below it) or looks after (a role above it),
 * the one they first had a role for first: it is the one pages show unless told otherwise,
 * and joining a second community must not change it.
 */
export async function communitiesOfUser(
  db: DbOrTx,
  userId: string,
): Promise<Array<{ id: string; name: string }>> {
  const rows = await sql<{ id: string; name: string }>`
    with recursive mine as (
      select place_id as id, created_at as since from role_assignments where user_id = ${userId}
    ), down(id, since) as (
      select id, since from mine
      union
      select p.id, down.since from places p join down on p.parent_id = down.id
    ), up(id, since) as (
      select id, since from mine
      union
      select p.parent_id, up.since from places p join up on p.id = up.id
      where p.parent_id is not null
    ), reached as (
      select id, min(since) as since from (select * from down union all select * from up) r
      group by id
    )
    select p.id, p.name from places p join reached on reached.id = p.id
    where p.kind = 'community'
    order by reached.since, p.name`.execute(db);
  return rows.rows;
}

/** The community a place belongs to (itself if it is one), or null above community level. */
export async function communityOf(db: DbOrTx, placeId: string): Promise<string | null> {
  const rows = await sql<{ id: string }>`
    with recursive up(id, parent_id, kind) as (
      select id, parent_id, kind from places where id = ${placeId}
      union all
      select p.id, p.parent_id, p.kind from places p join up on p.id = up.parent_id
    )
    select id from up where kind = 'community' limit 1`.execute(db);
  return rows.rows[0]?.id ?? null;
}

/** Units the user represents in this community (unit_rep role there or at a place in it). */
export async function unitsRepresented(
  db: DbOrTx,
  userId: string,
  communityId: string,
): Promise<Array<{ id: string; name: string }>> {
  const rows = await sql<{ id: string; name: string }>`
    with recursive sub(id) as (
      select ${communityId}::uuid union select p.id from places p join sub on p.parent_id = sub.id
    )
    select distinct u.id, u.name from role_assignments ra join units u on u.id = ra.unit_id
    where ra.user_id = ${userId} and ra.role = 'unit_rep' and ra.place_id in (select id from sub)
    order by u.name`.execute(db);
  return rows.rows;
}

/** The member's live (pending or confirmed) report, wherever it is. */
export function findMemberReport(db: DbOrTx, userId: string): Promise<MemberReport | undefined> {
  return db
    .selectFrom('memberReports')
    .selectAll()
    .where('userId', '=', userId)
    .where('status', '<>', 'rejected')
    .executeTakeFirst();
}

export function listUnitReports(db: DbOrTx, communityId: string) {
  return db
    .selectFrom('unitReports as r')
    .innerJoin('units as u', 'u.id', 'r.unitId')
    .select(['r.unitId', 'u.name as unitName', 'r.contact', 'r.commitment', 'r.reportedAt'])
    .where('r.communityId', '=', communityId)
    .orderBy('r.reportedAt')
    .execute();
}

/** Representatives of each unit within a community. */
export async function representativesIn(db: DbOrTx, communityId: string) {
  const rows = await sql<{ unitId: string; id: string; name: string }>`
    with recursive sub(id) as (
      select ${communityId}::uuid union select p.id from places p join sub on p.parent_id = sub.id
    )
    select distinct ra.unit_id as "unitId", us.id, us.display_name as name
    from role_assignments ra join users us on us.id = ra.user_id
    where ra.role = 'unit_rep' and ra.place_id in (select id from sub)`.execute(db);
  return rows.rows;
}

export function listMemberReports(db: DbOrTx, communityId: string) {
  return db
    .selectFrom('memberReports as r')
    .innerJoin('users as u', 'u.id', 'r.userId')
    .selectAll('r')
    .select('u.displayName as memberName')
    .where('r.communityId', '=', communityId)
    .orderBy('r.reportedAt')
    .execute();
}

const itemColumns = [
  'i.id',
  'i.communityId',
  'c.name as communityName',
  'i.kind',
  'i.title',
  'i.description',
  'i.status',
  'i.reviewNote',
  'i.postedBy',
  'p.displayName as posterName',
  'i.unitId',
  'u.name as unitName',
  'i.availability',
  'i.quota',
  'i.activeClaims',
  'i.dueAt',
  'i.createdAt',
  /** A project published from a roundtable's action item (办事 handed on). */
  'i.actionItemId',
] as const;

function itemsQuery(db: DbOrTx) {
  return db
    .selectFrom('claimItems as i')
    .innerJoin('places as c', 'c.id', 'i.communityId')
    .innerJoin('users as p', 'p.id', 'i.postedBy')
    .leftJoin('units as u', 'u.id', 'i.unitId')
    .select(itemColumns);
}
export type ItemRow = Awaited<ReturnType<ReturnType<typeof itemsQuery>['executeTakeFirstOrThrow']>>;

export function findItemRow(db: DbOrTx, id: string): Promise<ItemRow | undefined> {
  return itemsQuery(db).where('i.id', '=', id).executeTakeFirst();
}

export function listItemRows(
  db: DbOrTx,
  filter: {
    communityId: string;
    kinds?: readonly string[];
    status?: string;
    openOnly?: boolean;
    /** Pending and rejected wishes are visible only to the community and their poster. */
    viewerId: string;
    seesAll: boolean;
  },
): Promise<ItemRow[]> {
  let q = itemsQuery(db).where('i.communityId', '=', filter.communityId);
  if (filter.kinds) q = q.where('i.kind', 'in', filter.kinds as never);
  if (filter.status) q = q.where('i.status', '=', filter.status as never);
  if (filter.openOnly)
    q = q.where('i.status', '=', 'open').whereRef('i.activeClaims', '<', 'i.quota');
  if (!filter.seesAll)
    q = q.where((eb) =>
      eb.or([eb('i.status', 'in', ['open', 'closed']), eb('i.postedBy', '=', filter.viewerId)]),
    );
  return q.orderBy('i.createdAt', 'desc').limit(200).execute();
}

const claimColumns = [
  'cl.id',
  'cl.itemId',
  'i.title as itemTitle',
  'i.kind as itemKind',
  'i.communityId',
  'i.postedBy as itemPostedBy',
  'i.dueAt',
  'cl.userId',
  'us.displayName as userName',
  'cl.unitId',
  'un.name as unitName',
  'cl.status',
  'cl.deliveryNote',
  'cl.rating',
  'cl.ratingComment',
  'cl.claimedAt',
  'cl.deliveredAt',
  'cl.confirmedAt',
  'cl.updatedAt',
  'i.actionItemId',
] as const;

function claimsQuery(db: DbOrTx) {
  return db
    .selectFrom('claims as cl')
    .innerJoin('claimItems as i', 'i.id', 'cl.itemId')
    .innerJoin('users as us', 'us.id', 'cl.userId')
    .leftJoin('units as un', 'un.id', 'cl.unitId')
    .select(claimColumns)
    .select(
      sql<string[]>`coalesce((select array_agg(ph.id order by ph.position) from photos ph
        where ph.claim_id = cl.id), '{}')`.as('deliveryPhotoIds'),
    );
}
export type ClaimRow = Awaited<
  ReturnType<ReturnType<typeof claimsQuery>['executeTakeFirstOrThrow']>
>;

export function findClaimRow(db: DbOrTx, id: string): Promise<ClaimRow | undefined> {
  return claimsQuery(db).where('cl.id', '=', id).executeTakeFirst();
}

export function claimRowsOfItem(db: DbOrTx, itemId: string): Promise<ClaimRow[]> {
  return claimsQuery(db).where('cl.itemId', '=', itemId).orderBy('cl.claimedAt').execute();
}

/** Claims the user made, and claims made for the units they represent. */
export function claimRowsOfUser(
  db: DbOrTx,
  userId: string,
  unitIds: string[],
): Promise<ClaimRow[]> {
  return claimsQuery(db)
    .where((eb) =>
      eb.or([
        eb('cl.userId', '=', userId),
        ...(unitIds.length ? [eb('cl.unitId', 'in', unitIds)] : []),
      ]),
    )
    .orderBy('cl.updatedAt', 'desc')
    .limit(200)
    .execute();
}

export function claimRowsOfCommunity(
  db: DbOrTx,
  communityId: string,
  statuses?: readonly string[],
): Promise<ClaimRow[]> {
  let q = claimsQuery(db).where('i.communityId', '=', communityId);
  if (statuses) q = q.where('cl.status', 'in', statuses as never);
  return q.orderBy('cl.updatedAt', 'desc').limit(500).execute();
}

/** Items posted in a community and awaiting its review (micro-wishes). */
export function itemsAwaitingReview(db: DbOrTx, communityId: string): Promise<ItemRow[]> {
  return itemsQuery(db)
    .where('i.communityId', '=', communityId)
    .where('i.status', '=', 'pending_review')
    .orderBy('i.createdAt')
    .execute();
}

/** Moves a claim on (the status and the moment it moved). */
export async function updateClaim(
  db: DbOrTx,
  id: string,
  values: Partial<Omit<Claim, 'id' | 'itemId' | 'userId' | 'unitId' | 'claimedAt'>>,
): Promise<void> {
  await db
    .updateTable('claims')
    .set({ ...values, updatedAt: new Date() })
    .where('id', '=', id)
    .execute();
}

/** A withdrawn claim gives its place back to the item. */
export async function releasePlace(db: DbOrTx, itemId: string): Promise<void> {
  await db
    .updateTable('claimItems')
    .set((eb) => ({ activeClaims: eb('activeClaims', '-', 1) }))
    .where('id', '=', itemId)
    .execute();
}

/** Once every place is fulfilled, the item leaves the open lists. */
export async function closeItemIfFulfilled(db: DbOrTx, itemId: string): Promise<void> {
  const done = await db
    .selectFrom('claims')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('itemId', '=', itemId)
    .where('status', '=', 'confirmed')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('claimItems')
    .set({ status: 'closed' })
    .where('id', '=', itemId)
    .where('quota', '<=', Number(done.n))
    .execute();
}
