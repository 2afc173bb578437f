import { describe, expect, it } from 'vitest';
import { handoffKindFor, judgeHandoff } from '@tongxin/shared/roundtables/handoff';
import { mayDo } from '@tongxin/shared/roundtables/actions';

const item = (ownerKind: 'unit' | 'team' | 'person', over = {}) => ({
  ownerKind,
  status: 'pending' as const,
  handedOn: false,
  ...over,
});
const permissions = { openMinutes: false, guestMaySpeak: false };

describe('which action items may be handed on, and as what', () => {
  it('a unit’s item becomes a project, a team’s an activity, a person’s neither', () => {
    expect(judgeHandoff('project', item('unit'))).toBeNull();
    expect(judgeHandoff('activity', item('team'))).toBeNull();
    expect(judgeHandoff('activity', item('unit'))).toBe('handoff_needs_team_owner');
    expect(judgeHandoff('project', item('team'))).toBe('handoff_needs_unit_owner');
    expect(judgeHandoff('project', item('person'))).toBe('person_item_not_handed_on');
    expect(handoffKindFor('unit')).toBe('project');
    expect(handoffKindFor('team')).toBe('activity');
    expect(handoffKindFor('person')).toBeNull();
  });

  it('never twice, never once done', () => {
    expect(judgeHandoff('project', item('unit', { handedOn: true }))).toBe(
      'item_already_handed_on',
    );
    expect(judgeHandoff('project', item('unit', { status: 'done' }))).toBe('item_already_done');
  });

  it('the chair hands on, from 议事 to 评事; nobody else', () => {
    for (const stage of ['discuss', 'act', 'review'] as const)
      expect(mayDo(stage, 'chair', 'hand_on_item', permissions)).toBe(true);
    expect(mayDo('closed', 'chair', 'hand_on_item', permissions)).toBe(false);
    for (const part of ['scribe', 'participant', 'guest', 'observer'] as const)
      expect(mayDo('act', part, 'hand_on_item', permissions)).toBe(false);
  });
});
