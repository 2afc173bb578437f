import { describe, expect, it } from 'vitest';
import {
  RATINGS_TO_DECIDE,
  judgeAdvance,
  mayWriteMinutes,
  reviewOutcome,
  type MinutesFacts,
} from '@tongxin/shared/roundtables/index';

const now = new Date('2026-11-25T10:00:00Z');
const minutes = (over: Partial<MinutesFacts>): MinutesFacts => ({
  stage: 'discuss',
  part: 'participant',
  openMinutes: false,
  attended: true,
  amendUntil: null,
  frozen: false,
  now,
  ...over,
});

describe('who writes the minutes', () => {
  it('is the chair and scribes during the meeting, everyone present when opened', () => {
    expect(mayWriteMinutes(minutes({ part: 'chair' }))).toBe(true);
    expect(mayWriteMinutes(minutes({ part: 'scribe' }))).toBe(true);
    expect(mayWriteMinutes(minutes({}))).toBe(false);
    expect(mayWriteMinutes(minutes({ openMinutes: true }))).toBe(true);
    expect(mayWriteMinutes(minutes({ part: 'observer', openMinutes: true }))).toBe(false);
    expect(mayWriteMinutes(minutes({ part: 'guest', openMinutes: true }))).toBe(false);
  });

  it('lets attendees amend only during the amendment period', () => {
    const later = new Date(now.getTime() + 3_600_000);
    const earlier = new Date(now.getTime() - 1);
    expect(mayWriteMinutes(minutes({ stage: 'review' }))).toBe(false);
    expect(mayWriteMinutes(minutes({ stage: 'review', amendUntil: later }))).toBe(true);
    expect(mayWriteMinutes(minutes({ stage: 'review', amendUntil: later, attended: false }))).toBe(
      false,
    );
    expect(mayWriteMinutes(minutes({ stage: 'review', amendUntil: earlier }))).toBe(false);
    expect(mayWriteMinutes(minutes({ stage: 'act', part: 'scribe' }))).toBe(true);
  });

  it('freezes for everyone once approved, and before and after the meeting', () => {
    expect(mayWriteMinutes(minutes({ part: 'chair', frozen: true, stage: 'review' }))).toBe(false);
    expect(mayWriteMinutes(minutes({ part: 'chair', stage: 'raise' }))).toBe(false);
    expect(mayWriteMinutes(minutes({ part: 'chair', stage: 'closed' }))).toBe(false);
  });
});

describe('review', () => {
  it('waits for enough ratings before sending an item back', () => {
    const one = { satisfied: 0, basically_satisfied: 0, dissatisfied: 1 };
    expect(reviewOutcome(one, 0.5, RATINGS_TO_DECIDE)).toBe('awaiting');
    const three = { satisfied: 1, basically_satisfied: 0, dissatisfied: 2 };
    expect(reviewOutcome(three, 0.5, RATINGS_TO_DECIDE)).toBe('reopen');
    expect(reviewOutcome(three, 0.7, RATINGS_TO_DECIDE)).toBe('accepted');
  });

  it('does not close a roundtable while an item sent back is not done again', () => {
    const verdict = judgeAdvance(
      {
        stage: 'review',
        agendaTopics: [],
        voteOpen: false,
        actionItems: [{ id: 'i', status: 'in_progress' }],
        minutesApproved: true,
      },
      'chair',
    );
    expect(verdict).toEqual({ ok: false, refusal: 'items_not_done' });
  });
});
