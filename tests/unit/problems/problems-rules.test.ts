import { describe, expect, it } from 'vitest';
import {
  isOverdue,
  problemVerbsFor,
  resolveByFrom,
  respondByFrom,
  roundtableTakesTopics,
} from '@tongxin/shared/problems/problems';

const handler = { handles: true, follows: false };
const reporter = { handles: false, follows: true };
const both = { handles: true, follows: true };
const neither = { handles: false, follows: false };

describe('随手拍 rules', () => {
  it('offers each person only their own steps, in the states they apply to', () => {
    expect(problemVerbsFor(handler, 'submitted')).toEqual(['accept', 'decline', 'merge', 'raise']);
    expect(problemVerbsFor(handler, 'accepted')).toEqual(['start', 'resolve', 'merge', 'raise']);
    // Raised to a roundtable once: not again, nor merged away (it is its topic's).
    expect(problemVerbsFor(handler, 'in_hand', true)).toEqual(['resolve']);
    expect(problemVerbsFor(reporter, 'in_hand')).toEqual([]);
    expect(problemVerbsFor(handler, 'resolved')).toEqual([]);
    expect(problemVerbsFor(reporter, 'submitted')).toEqual([]);
    expect(problemVerbsFor(reporter, 'resolved')).toEqual(['confirm', 'reopen']);
    expect(problemVerbsFor(neither, 'submitted')).toEqual([]);
    // A secretary who reported it themselves both answers it and confirms it.
    expect(problemVerbsFor(both, 'resolved')).toEqual(['confirm', 'reopen']);
    for (const done of ['confirmed', 'declined', 'merged'] as const)
      expect(problemVerbsFor(both, done)).toEqual([]);
  });

  it('takes a report to a roundtable only while the roundtable takes topics', () => {
    expect(roundtableTakesTopics('raise')).toBe(true);
    expect(roundtableTakesTopics('discuss')).toBe(true);
    for (const stage of ['act', 'review', 'closed'] as const)
      expect(roundtableTakesTopics(stage)).toBe(false);
  });

  it('is overdue when unanswered past its respond-by, or unfixed past its resolve-by', () => {
    const at = new Date('2026-12-07T00:00:00Z');
    const respondBy = respondByFrom('safety_hazard', at);
    expect(respondBy.getTime() - at.getTime()).toBe(2 * 3600_000);
    const later = new Date(respondBy.getTime() + 1);
    expect(
      isOverdue({ status: 'submitted', respondBy, resolveBy: null, topicId: null }, later),
    ).toBe(true);
    expect(
      isOverdue({ status: 'submitted', respondBy, resolveBy: null, topicId: null }, respondBy),
    ).toBe(false);
    const resolveBy = resolveByFrom('rubbish', at);
    expect(resolveBy.getTime() - at.getTime()).toBe(3 * 86_400_000);
    const past = new Date(resolveBy.getTime() + 1);
    expect(isOverdue({ status: 'in_hand', respondBy, resolveBy, topicId: null }, past)).toBe(true);
    expect(isOverdue({ status: 'resolved', respondBy, resolveBy, topicId: null }, past)).toBe(
      false,
    );
    // Raised to a roundtable: the roundtable's process owns it, its own limits do not run.
    const raised = { respondBy, resolveBy, topicId: 'a-topic' };
    expect(isOverdue({ status: 'submitted', ...raised }, past)).toBe(false);
    expect(isOverdue({ status: 'in_hand', ...raised }, past)).toBe(false);
  });
});
