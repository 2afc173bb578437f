import { claimsBoardDoc } from '@tongxin/shared/live/documents';
import { fulfilmentRate, isOverdue, type ClaimStatus } from '@tongxin/shared/double-report/claims';
import type { Board, RecordRow } from '@tongxin/shared/double-report/claims.schemas';
import type { DbOrTx } from '@tongxin/db/create-db';
import {
  claimRowsOfCommunity,
  communitiesOfUser,
  itemsAwaitingReview,
  listMemberReports,
  listUnitReports,
} from '@tongxin/db/double-report/claims.queries';
import { findPlace } from '@tongxin/db/places/places.queries';
import { openItemCount } from '@tongxin/db/double-report/items.queries';
import { csvCell } from '../http/csv.ts';
import type { App } from '../http/types.ts';

/** The 公示 board: who reported, who claimed what, where each claim stands. */
export async function computeBoard(db: DbOrTx, communityId: string): Promise<Board> {
  const [place, units, members, claims, open, wishes] = await Promise.all([
    findPlace(db, communityId),
    listUnitReports(db, communityId),
    listMemberReports(db, communityId),
    claimRowsOfCommunity(db, communityId),
    openItemCount(db, communityId),
    itemsAwaitingReview(db, communityId),
  ]);
  return {
    community: { id: communityId, name: place?.name ?? '' },
    units: units.length,
    members: members.filter((m) => m.status === 'confirmed').length,
    openItems: open,
    claims: claims
      .filter((c) => c.status !== 'withdrawn')
      .map((c) => ({
        claimId: c.id,
        itemId: c.itemId,
        itemTitle: c.itemTitle,
        itemKind: c.itemKind,
        claimant: c.unitName ?? c.userName,
        status: c.status as ClaimStatus,
        overdue: isOverdue(c.status as ClaimStatus, c.dueAt),
        rating: c.rating,
        updatedAt: c.updatedAt.toISOString(),
      })),
    awaitingReview: [
      ...wishes.map((w) => w.id),
      ...members.filter((m) => m.status === 'pending').map((m) => m.id),
    ],
    fulfilmentRate: fulfilmentRate(claims.map((c) => c.status as ClaimStatus)),
    updatedAt: new Date().toISOString(),
  };
}

/**
 * The board as a server-owned live document per community (`claims-board:<id>`, map
 * `board`, key `data`), readable by everyone who belongs there. A projection of the
 * database, rebuilt on load and after each commit: commands (claimsCommand) call
 * `app.claimsBoard.publish` once committed.
 */
export function registerBoard(app: App): void {
  const board = app.live.registerProjection({
    prefix: claimsBoardDoc.prefix,
    async access(user, communityId) {
      const mine = await communitiesOfUser(app.db, user.id);
      return mine.some((c) => c.id === communityId) ? 'read' : 'none';
    },
    project: async (communityId) => ({
      board: { data: await computeBoard(app.db, communityId) },
    }),
  });
  const claimsBoard: ClaimsBoard = { publish: (communityId) => board.publish(communityId) };
  app.decorate('claimsBoard', claimsBoard);
}

export interface ClaimsBoard {
  publish(communityId: string): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    claimsBoard: ClaimsBoard;
  }
}

/** Per-unit and per-member records for the annual two-way evaluation (双向考核). */
export async function computeRecords(db: DbOrTx, communityId: string): Promise<RecordRow[]> {
  const [units, members, claims] = await Promise.all([
    listUnitReports(db, communityId),
    listMemberReports(db, communityId),
    claimRowsOfCommunity(db, communityId),
  ]);
  const tally = (mine: typeof claims) => {
    const live = mine.filter((c) => c.status !== 'withdrawn');
    const rated = live.filter((c) => c.rating !== null);
    return {
      claims: live.length,
      fulfilled: live.filter((c) => c.status === 'confirmed').length,
      averageRating: rated.length
        ? Math.round((rated.reduce((s, c) => s + c.rating!, 0) / rated.length) * 10) / 10
        : null,
    };
  };
  return [
    ...units.map((u) => ({
      kind: 'unit' as const,
      name: u.unitName,
      reportedSince: u.reportedAt.toISOString(),
      ...tally(claims.filter((c) => c.unitId === u.unitId)),
    })),
    ...members
      .filter((m) => m.status === 'confirmed')
      .map((m) => ({
        kind: 'member' as const,
        name: m.memberName,
        reportedSince: m.reportedAt.toISOString(),
        ...tally(claims.filter((c) => !c.unitId && c.userId === m.userId)),
      })),
  ];
}

/** UTF-8 with a byte-order mark, so that Excel opens the Chinese correctly. */
export function recordsCsv(rows: RecordRow[], en: boolean): string {
  const head = en
    ? ['Kind', 'Name', 'Reported since', 'Claims', 'Fulfilled', 'Average rating']
    : ['类型', '名称', '报到时间', '认领数', '已完成', '平均评分'];
  const kind = (k: RecordRow['kind']) =>
    en ? (k === 'unit' ? 'Unit' : 'Member') : k === 'unit' ? '单位' : '党员';
  const lines = rows.map((r) =>
    [kind(r.kind), r.name, r.reportedSince.slice(0, 10), r.claims, r.fulfilled, r.averageRating]
      .map(csvCell)
      .join(','),
  );
  return '\uFEFF' + [head.join(','), ...lines].join('\r\n') + '\r\n';
}
