import { sql } from 'kysely';
import type { DbOrTx } from '../create-db.ts';

/** The units invited to a roundtable, by name. */
export function invitedUnitsOf(db: DbOrTx, roundtableId: string) {
  return db
    .selectFrom('roundtableUnits as ru')
    .innerJoin('units as u', 'u.id', 'ru.unitId')
    .select(['u.id', 'u.name'])
    .where('ru.roundtableId', '=', roundtableId)
    .orderBy('u.name')
    .execute();
}

/** 我的议题: the topics a person raised, newest first, with their roundtable. */
export function topicsRaisedBy(db: DbOrTx, userId: string, limit = 50) {
  return db
    .selectFrom('topics as t')
    .innerJoin('roundtables as r', 'r.id', 't.roundtableId')
    .select([
      't.id',
      't.title',
      't.status',
      't.declineReason',
      'r.id as roundtableId',
      'r.title as roundtableTitle',
      'r.stage',
      'r.chairId',
    ])
    .where('t.raisedBy', '=', userId)
    .orderBy('t.createdAt', 'desc')
    .limit(limit)
    .execute();
}

/**
 * 我的办理事项: the items a person answers for, by deadline — theirs, their unit's (as its
 * representative) and their team's (as its active leader).
 */
export function itemsAnsweredBy(db: DbOrTx, userId: string, limit = 50) {
  return db
    .selectFrom('actionItems as a')
    .innerJoin('roundtables as r', 'r.id', 'a.roundtableId')
    .select(['a.id', 'a.title', 'a.status', 'r.id as roundtableId', 'r.title as roundtableTitle'])
    .select((eb) =>
      eb.fn<string>('to_char', [eb.ref('a.deadline'), eb.val('YYYY-MM-DD')]).as('deadline'),
    )
    .where((eb) =>
      eb.or([
        eb('a.ownerUserId', '=', userId),
        eb(
          'a.ownerUnitId',
          'in',
          eb
            .selectFrom('roleAssignments')
            .select('unitId')
            .where('userId', '=', userId)
            .where('role', '=', 'unit_rep'),
        ),
        eb(
          'a.ownerTeamId',
          'in',
          eb
            .selectFrom('teamMembers')
            .select('teamId')
            .where('userId', '=', userId)
            .where('role', '=', 'leader')
            .where('status', '=', 'active'),
        ),
      ]),
    )
    .orderBy('a.deadline')
    .limit(limit)
    .execute();
}

/** A roundtable's votes, in the order they were opened. */
export function votesOfRoundtable(db: DbOrTx, roundtableId: string) {
  return db
    .selectFrom('votes')
    .select(['id', 'topicId', 'question', 'kind', 'status', 'counted'])
    .where('roundtableId', '=', roundtableId)
    .orderBy('openedAt')
    .execute();
}

/** Phones' ballots of a roundtable's closed votes, counted per vote and option. */
export function closedBallotCounts(db: DbOrTx, roundtableId: string) {
  return db
    .selectFrom('ballots as b')
    .innerJoin('votes as v', 'v.id', 'b.voteId')
    .select([
      'b.voteId',
      sql<string>`coalesce(b.choice, b.proposal_id::text)`.as('option'),
      sql<number>`count(*)::int`.as('count'),
    ])
    .where('v.roundtableId', '=', roundtableId)
    .where('v.status', '=', 'closed')
    .groupBy(['b.voteId', sql`coalesce(b.choice, b.proposal_id::text)`])
    .execute();
}

/** Hands counted in the room for a roundtable's closed votes. */
export function closedHandCounts(db: DbOrTx, roundtableId: string) {
  return db
    .selectFrom('handCounts as h')
    .innerJoin('votes as v', 'v.id', 'h.voteId')
    .select(['h.voteId', 'h.option', 'h.count'])
    .where('v.roundtableId', '=', roundtableId)
    .where('v.status', '=', 'closed')
    .execute();
}
