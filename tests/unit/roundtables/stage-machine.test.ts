import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  canMoveItem,
  judgeAdvance,
  mayDo,
  reviewOutcome,
  satisfactionRate,
  tallyRatings,
  quorumMet,
  tallyOf,
  voteOptions,
  type RoundtableFacts,
} from '@tongxin/shared/roundtables/index';

const facts = (over: Partial<RoundtableFacts>): RoundtableFacts => ({
  stage: 'raise',
  agendaTopics: [],
  voteOpen: false,
  actionItems: [],
  minutesApproved: false,
  ...over,
});
const closedPerms = { openMinutes: false, guestMaySpeak: false };

describe('advancing the stage', () => {
  it('moves raise → discuss → act → review → closed, each when its work is done', () => {
    expect(
      judgeAdvance(
        facts({ agendaTopics: [{ id: 't', resolved: false, deferred: false }] }),
        'chair',
      ),
    ).toEqual({ ok: true, next: 'discuss' });
    expect(
      judgeAdvance(
        facts({ stage: 'discuss', agendaTopics: [{ id: 't', resolved: true, deferred: false }] }),
        'chair',
      ),
    ).toEqual({ ok: true, next: 'act' });
    expect(
      judgeAdvance(facts({ stage: 'act', actionItems: [{ id: 'i', status: 'done' }] }), 'chair'),
    ).toEqual({ ok: true, next: 'review' });
    expect(judgeAdvance(facts({ stage: 'review', minutesApproved: true }), 'chair')).toEqual({
      ok: true,
      next: 'closed',
    });
  });

  it('is the chair’s alone', () => {
    for (const part of ['scribe', 'participant', 'guest', 'observer'] as const) {
      expect(
        judgeAdvance(
          facts({ agendaTopics: [{ id: 't', resolved: false, deferred: false }] }),
          part,
        ),
      ).toEqual({ ok: false, refusal: 'not_chair' });
    }
  });

  it('says what is missing', () => {
    expect(judgeAdvance(facts({}), 'chair')).toEqual({ ok: false, refusal: 'no_agenda' });
    const discussing = facts({
      stage: 'discuss',
      agendaTopics: [{ id: 't', resolved: false, deferred: false }],
    });
    expect(judgeAdvance(discussing, 'chair')).toEqual({ ok: false, refusal: 'topics_unresolved' });
    expect(judgeAdvance({ ...discussing, voteOpen: true }, 'chair')).toEqual({
      ok: false,
      refusal: 'vote_still_open',
    });
    expect(
      judgeAdvance(
        facts({ stage: 'discuss', agendaTopics: [{ id: 't', resolved: false, deferred: true }] }),
        'chair',
      ).ok,
    ).toBe(true);
    expect(judgeAdvance(facts({ stage: 'act' }), 'chair')).toEqual({
      ok: false,
      refusal: 'no_action_items',
    });
    expect(
      judgeAdvance(facts({ stage: 'act', actionItems: [{ id: 'i', status: 'blocked' }] }), 'chair'),
    ).toEqual({ ok: false, refusal: 'items_not_done' });
    expect(judgeAdvance(facts({ stage: 'review' }), 'chair')).toEqual({
      ok: false,
      refusal: 'minutes_not_approved',
    });
    expect(judgeAdvance(facts({ stage: 'closed' }), 'chair')).toEqual({
      ok: false,
      refusal: 'roundtable_closed',
    });
  });
});

describe('who may do what', () => {
  it('keeps chair-only actions from everyone else', () => {
    for (const action of [
      'open_vote',
      'close_vote',
      'give_floor',
      'record_resolution',
      'screen_topic',
    ] as const) {
      expect(mayDo('discuss', 'chair', action, closedPerms)).toBe(true);
      expect(mayDo('discuss', 'participant', action, closedPerms)).toBe(false);
      expect(mayDo('discuss', 'scribe', action, closedPerms)).toBe(false);
    }
  });

  it('lets scribes write minutes, and everyone when the chair opens them', () => {
    expect(mayDo('discuss', 'scribe', 'edit_minutes', closedPerms)).toBe(true);
    expect(mayDo('discuss', 'participant', 'edit_minutes', closedPerms)).toBe(false);
    expect(
      mayDo('discuss', 'participant', 'edit_minutes', { ...closedPerms, openMinutes: true }),
    ).toBe(true);
  });

  it('lets guests watch, and speak only when the chair allows', () => {
    expect(allowedActions('discuss', 'guest', closedPerms)).toEqual(['attend']);
    expect(allowedActions('discuss', 'guest', { ...closedPerms, guestMaySpeak: true })).toEqual([
      'attend',
      'raise_hand',
    ]);
    expect(
      allowedActions('discuss', 'observer', { openMinutes: true, guestMaySpeak: true }),
    ).toEqual([]);
  });

  it('offers each action only in its stages', () => {
    expect(mayDo('raise', 'participant', 'cast_vote', closedPerms)).toBe(false);
    expect(mayDo('discuss', 'participant', 'cast_vote', closedPerms)).toBe(true);
    expect(mayDo('review', 'participant', 'rate_item', closedPerms)).toBe(true);
    expect(mayDo('closed', 'chair', 'advance_stage', closedPerms)).toBe(false);
    expect(allowedActions('raise', 'participant', closedPerms)).toEqual([
      'raise_topic',
      'cosign_topic',
    ]);
  });
});

describe('action items and ratings', () => {
  it('moves items along their paths only', () => {
    expect(canMoveItem('pending', 'in_progress')).toBe(true);
    expect(canMoveItem('blocked', 'done')).toBe(false);
    expect(canMoveItem('done', 'in_progress')).toBe(true);
    expect(canMoveItem('done', 'pending')).toBe(false);
  });

  it('sends an item back when 不满意 passes the threshold', () => {
    expect(reviewOutcome(tallyRatings([]))).toBe('awaiting');
    expect(reviewOutcome(tallyRatings(['dissatisfied', 'dissatisfied', 'satisfied']))).toBe(
      'reopen',
    );
    expect(reviewOutcome(tallyRatings(['dissatisfied', 'satisfied']))).toBe('accepted');
    expect(
      reviewOutcome(tallyRatings(['dissatisfied', 'basically_satisfied', 'satisfied']), 0.3),
    ).toBe('reopen');
    expect(
      satisfactionRate(
        tallyRatings(['satisfied', 'basically_satisfied', 'dissatisfied', 'satisfied']),
      ),
    ).toBe(0.75);
  });
});

describe('votes', () => {
  it('tallies ballots and hands per choice code, and needs the quorum', () => {
    const options = voteOptions('yes_no', []);
    expect(options.map((o) => o.key)).toEqual(['support', 'oppose', 'abstain']);
    const count = tallyOf(
      options,
      new Map([
        ['support', 2],
        ['oppose', 1],
      ]),
      new Map([['support', 3]]),
    );
    expect(count).toEqual({
      tally: { support: 5, oppose: 1, abstain: 0 },
      ballots: 3,
      hands: 3,
      counted: 6,
    });
    expect(quorumMet(25, 25)).toBe(true);
    expect(quorumMet(24, 25)).toBe(false);
    expect(quorumMet(0, null)).toBe(true);
  });

  it('keys a proposal by its id, so one titled 赞成 is never read as the choice 赞成', () => {
    const options = voteOptions('choice', [
      { id: 'p1', text: '赞成' },
      { id: 'p2', text: '反对' },
    ]);
    expect(options).toEqual([
      { key: 'p1', label: '赞成' },
      { key: 'p2', label: '反对' },
    ]);
    const { tally } = tallyOf(
      options,
      new Map([
        ['p1', 4],
        ['support', 9], // not an option of this vote
      ]),
      new Map(),
    );
    expect(tally).toEqual({ p1: 4, p2: 0 });
  });
});
