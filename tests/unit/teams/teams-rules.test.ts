import { describe, expect, it } from 'vitest';
import {
  checkInOpen,
  overlaps,
  pointsForMinutes,
  activityMinutes,
  mayUsePoints,
  signupClosed,
} from '@tongxin/shared/teams/teams';

const at = (hhmm: string) => new Date(`2026-12-07T${hhmm}:00+08:00`);
const activity = { startsAt: at('10:00'), endsAt: at('12:00') };

describe('服务队 rules', () => {
  it('counts activities that touch end to start as not overlapping', () => {
    expect(overlaps(activity, { startsAt: at('12:00'), endsAt: at('13:00') })).toBe(false);
    expect(overlaps(activity, { startsAt: at('08:00'), endsAt: at('10:00') })).toBe(false);
    expect(overlaps(activity, { startsAt: at('11:59'), endsAt: at('13:00') })).toBe(true);
    expect(overlaps(activity, { startsAt: at('10:30'), endsAt: at('11:00') })).toBe(true);
  });

  it('closes sign-up at the start, and for a cancelled activity at once', () => {
    expect(signupClosed({ ...activity, status: 'scheduled' }, at('09:59'))).toBeNull();
    expect(signupClosed({ ...activity, status: 'scheduled' }, at('10:00'))).toBe('started');
    expect(signupClosed({ ...activity, status: 'cancelled' }, at('08:00'))).toBe('cancelled');
  });

  it('opens check-in half an hour before the start and closes it two hours after the end', () => {
    expect(checkInOpen(activity, at('09:29'))).toBe(false);
    expect(checkInOpen(activity, at('09:30'))).toBe(true);
    expect(checkInOpen(activity, at('14:00'))).toBe(true);
    expect(checkInOpen(activity, at('14:01'))).toBe(false);
  });

  it('is worth its length in minutes, ten points an hour, rounded', () => {
    expect(activityMinutes(activity)).toBe(120);
    expect(pointsForMinutes(120)).toBe(20);
    expect(pointsForMinutes(45)).toBe(8); // 7.5 rounds up
    expect(pointsForMinutes(0)).toBe(0);
  });

  it('lets whoever belongs or has a ledger use points there (a rider with no role), nobody else', () => {
    expect(mayUsePoints({ belongs: true, hasLedger: false })).toBe(true);
    expect(mayUsePoints({ belongs: false, hasLedger: true })).toBe(true);
    expect(mayUsePoints({ belongs: true, hasLedger: true })).toBe(true);
    expect(mayUsePoints({ belongs: false, hasLedger: false })).toBe(false);
  });
});
