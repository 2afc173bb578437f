import { describe, expect, it } from 'vitest';
import {
  CLAIM_STATUSES,
  ITEM_KINDS,
  claimBlocker,
  claimantFor,
  fulfilmentRate,
  judgeClaim,
  judgeClaimMove,
  isOverdue,
  judgeMove,
  posterMayPost,
  type ClaimFacts,
  type ClaimMove,
  type ClaimStatus,
} from '@tongxin/shared/double-report/claims';

describe('双认领: who claims and who posts', () => {
  it('lets units claim projects, members claim tasks, needs and wishes, and nobody resources', () => {
    expect(Object.fromEntries(ITEM_KINDS.map((k) => [k, claimantFor(k)]))).toEqual({
      need: 'member',
      wish: 'member',
      resource: null,
      project: 'unit',
      task: 'member',
    });
  });

  it('lets residents post only micro-wishes, unit representatives only resources', () => {
    const allowed = (poster: 'resident' | 'secretary' | 'unit_rep') =>
      ITEM_KINDS.filter((k) => posterMayPost(poster, k));
    expect(allowed('resident')).toEqual(['wish']);
    expect(allowed('unit_rep')).toEqual(['resource']);
    expect(allowed('secretary')).toEqual(['need', 'wish', 'project', 'task']);
  });
});

describe('the life of a claim', () => {
  it('allows exactly these moves', () => {
    const moves: ClaimMove[] = ['start', 'deliver', 'withdraw', 'confirm'];
    const table = Object.fromEntries(
      moves.map((m) => [
        m,
        Object.fromEntries(
          CLAIM_STATUSES.map((s) => [s, judgeMove(m, s)]).filter(([, to]) => to !== null),
        ),
      ]),
    );
    expect(table).toEqual({
      start: { claimed: 'in_progress' },
      deliver: { claimed: 'delivered', in_progress: 'delivered' },
      withdraw: { claimed: 'withdrawn' },
      confirm: { delivered: 'confirmed' },
    });
  });

  it('is overdue only while work is owed and the deadline has passed', () => {
    const now = new Date('2026-12-07T10:00:00Z');
    const past = '2026-12-07T09:59:59Z';
    expect(isOverdue('claimed', past, now)).toBe(true);
    expect(isOverdue('in_progress', new Date(past), now)).toBe(true);
    expect(isOverdue('claimed', '2026-12-07T10:00:00Z', now)).toBe(false);
    expect(isOverdue('claimed', null, now)).toBe(false);
    for (const s of ['delivered', 'confirmed', 'withdrawn'] as ClaimStatus[])
      expect(isOverdue(s, past, now), s).toBe(false);
  });

  it('rates fulfilment over the claims not withdrawn', () => {
    expect(fulfilmentRate([])).toBeNull();
    expect(fulfilmentRate(['withdrawn'])).toBeNull();
    expect(fulfilmentRate(['confirmed', 'withdrawn', 'in_progress', 'delivered'])).toBeCloseTo(
      1 / 3,
    );
    expect(fulfilmentRate(['confirmed', 'confirmed'])).toBe(1);
  });
});

describe('claiming: one rule for the command and the item page', () => {
  const facts = (over: Partial<ClaimFacts['actor']> = {}, quota = 1, active = 0): ClaimFacts => ({
    item: { kind: 'task', status: 'open', postedBy: 'sec', activeClaims: active, quota },
    actor: { userId: 'me', units: [], reportedUnits: [], memberReported: true, ...over },
    liveClaims: [],
  });

  it('tells a full task from an unreported member', () => {
    expect(judgeClaim(facts({}, 1, 1), null)).toBe('claim_full');
    expect(judgeClaim(facts({ memberReported: false }, 1, 1), null)).toBe('not_reported');
    expect(claimBlocker(facts({}, 1, 1))).toBe('full');
    expect(claimBlocker(facts({ memberReported: false }))).toBe('not_reported');
    expect(judgeClaim(facts(), null)).toBeNull();
  });

  it('offers a project when one of the units represented may claim it', () => {
    const project = (actor: Partial<ClaimFacts['actor']>, held: string[] = []): ClaimFacts => ({
      ...facts(actor, 5),
      item: { ...facts().item, kind: 'project', quota: 5 },
      liveClaims: held.map((unitId) => ({ unitId, userId: 'x' })),
    });
    expect(judgeClaim(project({}), null)).toBe('unit_required');
    expect(claimBlocker(project({}))).toBe('not_unit_rep');
    expect(claimBlocker(project({ units: ['a'] }))).toBe('not_reported');
    expect(judgeClaim(project({ units: ['a'], reportedUnits: ['a'] }), 'b')).toBe('not_your_unit');
    expect(claimBlocker(project({ units: ['a', 'b'], reportedUnits: ['a', 'b'] }, ['a']))).toBe(
      null,
    );
    expect(claimBlocker(project({ units: ['a'], reportedUnits: ['a'] }, ['a']))).toBe(
      'already_claimed',
    );
  });

  it('refuses a move by the wrong person apart from a move at the wrong time', () => {
    const claim = {
      status: 'in_progress' as const,
      userId: 'me',
      unitId: null,
      itemKind: 'task' as const,
      itemPostedBy: 'sec',
    };
    const me = { userId: 'me', units: [], secretary: false };
    expect(judgeClaimMove('withdraw', claim, me)).toBe('claim_work_started');
    expect(judgeClaimMove('withdraw', claim, { ...me, userId: 'other' })).toBe('not_the_claimant');
    expect(judgeClaimMove('confirm', claim, me)).toBe('confirm_by_community');
    expect(judgeClaimMove('confirm', claim, { ...me, secretary: true })).toBe(
      'claim_not_delivered',
    );
    expect(judgeClaimMove('deliver', claim, me)).toBeNull();
  });
});
