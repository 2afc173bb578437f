import { describe, expect, it } from 'vitest';
import {
  handlesReport,
  problemLimitsOf,
  respondByFrom,
  type ProblemHandlerFacts,
} from '@tongxin/shared/problems/problems';
import { reminderFor } from '@tongxin/shared/reminders/reminders';

const none: ProblemHandlerFacts = {
  secretary: false,
  gridWorker: false,
  unitRep: false,
  teamLeader: false,
};
const grid = { ownerUnitId: null, ownerTeamId: null };
const unit = { ownerUnitId: 'u', ownerTeamId: null };
const team = { ownerUnitId: null, ownerTeamId: 't' };

describe('who answers a routed report', () => {
  it('the grid worker only when it was routed to nobody else', () => {
    expect(handlesReport(grid, { ...none, gridWorker: true })).toBe(true);
    expect(handlesReport(unit, { ...none, gridWorker: true })).toBe(false);
    expect(handlesReport(team, { ...none, gridWorker: true })).toBe(false);
  });
  it('the unit representative or team leader it was routed to, and nobody else', () => {
    expect(handlesReport(unit, { ...none, unitRep: true })).toBe(true);
    expect(handlesReport(team, { ...none, unitRep: true })).toBe(false);
    expect(handlesReport(team, { ...none, teamLeader: true })).toBe(true);
    expect(handlesReport(grid, { ...none, teamLeader: true, unitRep: true })).toBe(false);
  });
  it('the secretary always', () => {
    for (const owner of [grid, unit, team])
      expect(handlesReport(owner, { ...none, secretary: true })).toBe(true);
  });
});

describe('time limits', () => {
  it('a route overrides the defaults it sets and keeps the others', () => {
    expect(problemLimitsOf('parking')).toEqual({ respondHours: 24, resolveDays: 7 });
    expect(problemLimitsOf('parking', { respondHours: 5, resolveDays: null })).toEqual({
      respondHours: 5,
      resolveDays: 7,
    });
    const at = new Date('2026-12-07T00:00:00Z');
    expect(respondByFrom('parking', at, { respondHours: 5, resolveDays: null }).toISOString()).toBe(
      '2026-12-07T05:00:00.000Z',
    );
  });
  it('reminders: none until a day before, due soon within it, overdue from the deadline', () => {
    const due = new Date('2026-12-10T16:00:00Z');
    expect(reminderFor(due, new Date('2026-12-09T15:59:00Z'))).toBeNull();
    expect(reminderFor(due, new Date('2026-12-09T16:00:00Z'))).toBe('due_soon');
    expect(reminderFor(due, new Date('2026-12-10T16:00:00Z'))).toBe('overdue');
  });
});
