import { describe, expect, it } from 'vitest';
import { serviceDayStarts } from '@tongxin/shared/teams/teams';
import { fromChinaLocal, toChinaLocal } from '@tongxin/shared/time/china';

const starts = (rule: { daysOfMonth: number[]; startTime: string }, from: string, days: number) =>
  serviceDayStarts(rule, fromChinaLocal(from), days).map(toChinaLocal);

describe('集中服务日: serviceDayStarts', () => {
  it('lays out the 15th and 25th at 09:00 China time, in order, up to the horizon', () => {
    // 62 days from 7 December reach 7 February.
    expect(starts({ daysOfMonth: [25, 15], startTime: '09:00' }, '2026-12-07T10:00', 62)).toEqual([
      '2026-12-15T09:00',
      '2026-12-25T09:00',
      '2027-01-15T09:00',
      '2027-01-25T09:00',
    ]);
  });

  it('skips days a month lacks instead of rolling into the next month', () => {
    const got = starts({ daysOfMonth: [29, 30, 31], startTime: '09:00' }, '2027-01-01T00:00', 125);
    // February 2027 has 28 days; April has 30.
    expect(got.filter((d) => d.startsWith('2027-02'))).toEqual([]);
    expect(got.filter((d) => d.startsWith('2027-04'))).toEqual([
      '2027-04-29T09:00',
      '2027-04-30T09:00',
    ]);
    expect(got.filter((d) => d.startsWith('2027-03'))).toHaveLength(3);
    // 31 April is not 1 May.
    expect(got.filter((d) => d.startsWith('2027-05'))).toEqual([]);
  });

  it('includes the 29th of February in a leap year', () => {
    expect(starts({ daysOfMonth: [29], startTime: '08:00' }, '2028-02-01T00:00', 60)).toEqual([
      '2028-02-29T08:00',
      '2028-03-29T08:00',
    ]);
  });

  it('counts from the China day: late on the 14th (UTC) is already the 15th in China', () => {
    // 2026-12-14T17:00Z is 01:00 on the 15th in China; 09:00 that day is still ahead.
    const from = new Date('2026-12-14T17:00:00Z');
    const first = serviceDayStarts({ daysOfMonth: [15], startTime: '09:00' }, from, 10)[0]!;
    expect(toChinaLocal(first)).toBe('2026-12-15T09:00');
  });

  it('leaves out a start at or before `from`, and one past the horizon', () => {
    const rule = { daysOfMonth: [15], startTime: '09:00' };
    expect(starts(rule, '2026-12-15T09:00', 31)).toEqual(['2027-01-15T09:00']);
    expect(starts(rule, '2026-12-15T08:59', 31)[0]).toBe('2026-12-15T09:00');
    // 30 days from 16 December end at midnight on 15 January, before 09:00.
    expect(starts(rule, '2026-12-16T00:00', 30)).toEqual([]);
    expect(starts(rule, '2026-12-16T00:00', 31)).toEqual(['2027-01-15T09:00']);
  });

  it('crosses the year end into January of the next year', () => {
    expect(starts({ daysOfMonth: [1], startTime: '00:00' }, '2026-12-31T23:00', 2)).toEqual([
      '2027-01-01T00:00',
    ]);
  });
});
