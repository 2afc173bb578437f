import { describe, expect, it } from 'vitest';
import {
  CLAIM_STATUSES,
  ITEM_KINDS,
  claimantFor,
  fulfilmentRate,
  isOverdue,
  judgeMove,
  posterMayPost,
  type ClaimMove,
  type ClaimStatus,
} from '@tongxin/shared/claims/claims';

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
