import { sql } from 'kysely';
import type { DbOrTx } from '../create-db.ts';

/** Agenda topics in order, with their resolution. */
export function agendaOf(db: DbOrTx, roundtableId: string) {
  return db
    .selectFrom('topics as t')
    .innerJoin('users as u', 'u.id', 't.raisedBy')
    .leftJoin('resolutions as r', 'r.topicId', 't.id')
    .select([
      't.id',
      't.title',
      't.description',
      't.category',
      't.agendaPosition',
      't.cosignCount',
      't.deferred',
      'u.displayName as raiserName',
      'r.id as resolutionId',
      'r.text as resolution',
    ])
    .where('t.roundtableId', '=', roundtableId)
    .where('t.status', '=', 'accepted')
    .orderBy('t.agendaPosition')
    .execute();
}

/** Topics raised and waiting to be screened, oldest first (the room shows them live). */
export function raisedTopicsOf(db: DbOrTx, roundtableId: string) {
  return db
    .selectFrom('topics as t')
    .innerJoin('users as u', 'u.id', 't.raisedBy')
    .select(['t.id', 't.title', 't.category', 't.cosignCount', 't.createdAt'])
    .select('u.displayName as raiserName')
    .where('t.roundtableId', '=', roundtableId)
    .where('t.status', '=', 'submitted')
    .orderBy('t.createdAt')
    .execute();
}

export function proposalsOf(db: DbOrTx, topicIds: string[]) {
  if (topicIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('proposals as p')
    .innerJoin('users as u', 'u.id', 'p.proposedBy')
    .select(['p.id', 'p.topicId', 'p.text', 'u.displayName as by'])
    .where('p.topicId', 'in', topicIds)
    .orderBy('p.createdAt')
    .execute();
}

export function attendanceOf(db: DbOrTx, roundtableId: string) {
  return db
    .selectFrom('attendance')
    .select(['id', 'userId', 'name', 'part', 'how', 'createdAt'])
    .where('roundtableId', '=', roundtableId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

export function findAttendance(db: DbOrTx, roundtableId: string, userId: string) {
  return db
    .selectFrom('attendance')
    .selectAll()
    .where('roundtableId', '=', roundtableId)
    .where('userId', '=', userId)
    .executeTakeFirst();
}

/** Who waits to speak, first raised first, and who speaks now. */
export function liveTurnsOf(db: DbOrTx, roundtableId: string) {
  return db
    .selectFrom('speakingTurns as s')
    .innerJoin('users as u', 'u.id', 's.userId')
    .select(['s.id', 's.userId', 's.status', 's.startedAt', 'u.displayName as name'])
    .where('s.roundtableId', '=', roundtableId)
    .where('s.status', 'in', ['waiting', 'speaking'])
    .orderBy('s.raisedAt')
    .orderBy('s.id')
    .execute();
}

/** The vote the room shows: the open one, else the latest one on the current topic. */
export function shownVote(db: DbOrTx, roundtableId: string, currentTopicId: string | null) {
  let q = db
    .selectFrom('votes')
    .selectAll()
    .where('roundtableId', '=', roundtableId)
    .orderBy(sql`status = 'open'`, 'desc')
    .orderBy('openedAt', 'desc')
    .limit(1);
  q = currentTopicId
    ? q.where((eb) => eb.or([eb('status', '=', 'open'), eb('topicId', '=', currentTopicId)]))
    : q.where('status', '=', 'open');
  return q.executeTakeFirst();
}

export function findVote(db: DbOrTx, id: string) {
  return db.selectFrom('votes').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Ballots per option key (a choice or a proposal id), straight from the rows. */
export async function ballotCounts(db: DbOrTx, voteId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('ballots')
    .select([
      sql<string>`coalesce(choice, proposal_id::text)`.as('option'),
      sql<string>`count(*)::int`.as('n'),
    ])
    .where('voteId', '=', voteId)
    .groupBy(sql`coalesce(choice, proposal_id::text)`)
    .execute();
  return new Map(rows.map((r) => [r.option, Number(r.n)]));
}

export async function handCounts(db: DbOrTx, voteId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('handCounts')
    .select(['option', 'count'])
    .where('voteId', '=', voteId)
    .execute();
  return new Map(rows.map((r) => [r.option, r.count]));
}

const deadline = sql<string>`to_char(a.deadline, 'YYYY-MM-DD')`;

/** Action items with their owner's name, ratings of the current round and latest update. */
export function actionItemsOf(db: DbOrTx, roundtableId: string) {
  return db
    .selectFrom('actionItems as a')
    .innerJoin('resolutions as r', 'r.id', 'a.resolutionId')
    .leftJoin('units as un', 'un.id', 'a.ownerUnitId')
    .leftJoin('teams as tm', 'tm.id', 'a.ownerTeamId')
    .leftJoin('users as us', 'us.id', 'a.ownerUserId')
    .select([
      'a.id',
      'a.title',
      'a.ownerKind',
      'a.ownerUnitId',
      'a.ownerTeamId',
      'a.ownerUserId',
      'a.status',
      'a.blockedReason',
      'a.round',
      'r.topicId',
      deadline.as('deadline'),
      sql<string>`coalesce(un.name, tm.name, us.display_name)`.as('owner'),
    ])
    .select((eb) => [
      eb
        .selectFrom('ratings as g')
        .select(sql<string>`count(*) filter (where g.rating = 'satisfied')::int`.as('n'))
        .whereRef('g.itemId', '=', 'a.id')
        .whereRef('g.round', '=', 'a.round')
        .as('satisfied'),
      eb
        .selectFrom('ratings as g')
        .select(sql<string>`count(*) filter (where g.rating = 'basically_satisfied')::int`.as('n'))
        .whereRef('g.itemId', '=', 'a.id')
        .whereRef('g.round', '=', 'a.round')
        .as('basicallySatisfied'),
      eb
        .selectFrom('ratings as g')
        .select(sql<string>`count(*) filter (where g.rating = 'dissatisfied')::int`.as('n'))
        .whereRef('g.itemId', '=', 'a.id')
        .whereRef('g.round', '=', 'a.round')
        .as('dissatisfied'),
    ])
    .where('a.roundtableId', '=', roundtableId)
    .orderBy('a.createdAt')
    .execute();
}
export function findActionItem(db: DbOrTx, id: string) {
  return db.selectFrom('actionItems').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Each item's updates, newest first, with the author's name. */
export function itemUpdatesOf(db: DbOrTx, itemIds: string[]) {
  if (itemIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('actionUpdates as d')
    .innerJoin('users as u', 'u.id', 'd.authorId')
    .select(['d.id', 'd.itemId', 'd.note', 'd.status', 'd.createdAt', 'u.displayName as by'])
    .where('d.itemId', 'in', itemIds)
    .orderBy('d.createdAt', 'desc')
    .execute();
}

/** Does the user answer for this item: the person, a rep of the unit, a leader of the team? */
export async function ownsActionItem(
  db: DbOrTx,
  item: { ownerUserId: string | null; ownerUnitId: string | null; ownerTeamId: string | null },
  userId: string,
): Promise<boolean> {
  if (item.ownerUserId) return item.ownerUserId === userId;
  if (item.ownerUnitId) {
    const rep = await db
      .selectFrom('roleAssignments')
      .select('id')
      .where('unitId', '=', item.ownerUnitId)
      .where('userId', '=', userId)
      .where('role', '=', 'unit_rep')
      .executeTakeFirst();
    return rep !== undefined;
  }
  const leader = await db
    .selectFrom('teamMembers')
    .select('userId')
    .where('teamId', '=', item.ownerTeamId!)
    .where('userId', '=', userId)
    .where('role', '=', 'leader')
    .where('status', '=', 'active')
    .executeTakeFirst();
  return leader !== undefined;
}

/** The people who answer for an item, to tell them it is theirs. */
export async function ownersOfItem(
  db: DbOrTx,
  item: { ownerUserId: string | null; ownerUnitId: string | null; ownerTeamId: string | null },
): Promise<string[]> {
  if (item.ownerUserId) return [item.ownerUserId];
  if (item.ownerUnitId) {
    const reps = await db
      .selectFrom('roleAssignments')
      .select('userId')
      .where('unitId', '=', item.ownerUnitId)
      .where('role', '=', 'unit_rep')
      .execute();
    return reps.map((r) => r.userId);
  }
  const leaders = await db
    .selectFrom('teamMembers')
    .select('userId')
    .where('teamId', '=', item.ownerTeamId!)
    .where('role', '=', 'leader')
    .where('status', '=', 'active')
    .execute();
  return leaders.map((r) => r.userId);
}

export async function latestMinutesVersion(db: DbOrTx, roundtableId: string) {
  return db
    .selectFrom('minutesVersions')
    .selectAll()
    .where('roundtableId', '=', roundtableId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Everyone holding a role at the place or below it: who a roundtable there belongs to. */
export async function peopleWithin(db: DbOrTx, placeId: string): Promise<string[]> {
  const rows = await sql<{ userId: string }>`
    with recursive down(id) as (
      select id from places where id = ${placeId}
      union all
      select p.id from places p join down on p.parent_id = down.id
    )
    select distinct r.user_id from role_assignments r join down on down.id = r.place_id`.execute(
    db,
  );
  return rows.rows.map((r) => r.userId);
}

/** What the stage machine needs to judge a move, read under the roundtable's lock. */
export async function stageFactsOf(db: DbOrTx, roundtableId: string) {
  const [agenda, open, items] = await Promise.all([
    agendaOf(db, roundtableId),
    db
      .selectFrom('votes')
      .select('id')
      .where('roundtableId', '=', roundtableId)
      .where('status', '=', 'open')
      .executeTakeFirst(),
    db
      .selectFrom('actionItems')
      .select(['id', 'status'])
      .where('roundtableId', '=', roundtableId)
      .execute(),
  ]);
  return {
    agendaTopics: agenda.map((t) => ({
      id: t.id,
      resolved: t.resolutionId !== null,
      deferred: t.deferred,
    })),
    voteOpen: open !== undefined,
    actionItems: items,
  };
}

/** Lowers a person's hand: out of the queue, and a turn in progress ends now. */
export async function lowerHand(db: DbOrTx, roundtableId: string, userId: string): Promise<void> {
  const now = new Date();
  const theirs = db
    .updateTable('speakingTurns')
    .where('roundtableId', '=', roundtableId)
    .where('userId', '=', userId);
  await theirs
    .set({ status: 'withdrawn', startedAt: now, endedAt: now })
    .where('status', '=', 'waiting')
    .execute();
  await theirs.set({ status: 'done', endedAt: now }).where('status', '=', 'speaking').execute();
}
