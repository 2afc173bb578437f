import { describe, expect, it } from 'vitest';
import {
  chinaDay,
  chinaDayAt,
  chinaInstant,
  chinaMonth,
  chinaParts,
  chinaShortMoment,
  daysAfter,
  fromChinaLocal,
  toChinaLocal,
} from '@tongxin/shared/time/china';

describe('China time', () => {
  it('puts an instant on the China day, which starts at 16:00 UTC the day before', () => {
    expect(chinaDay(new Date('2026-12-06T15:59:59Z'))).toBe('2026-12-06');
    expect(chinaDay(new Date('2026-12-06T16:00:00Z'))).toBe('2026-12-07');
  });

  it('rolls months and years over at China midnight, not UTC midnight', () => {
    expect(chinaMonth(new Date('2026-01-31T15:59:00Z'))).toBe('2026-01');
    expect(chinaMonth(new Date('2026-01-31T16:00:00Z'))).toBe('2026-02');
    expect(chinaDay(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(chinaMonth(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01');
  });

  it('reads and writes datetime-local values in China time', () => {
    expect(fromChinaLocal('2026-12-07T19:00').toISOString()).toBe('2026-12-07T11:00:00.000Z');
    expect(fromChinaLocal('2026-12-07T19:00:30').toISOString()).toBe('2026-12-07T11:00:30.000Z');
    expect(fromChinaLocal('2026-12-07').toISOString()).toBe('2026-12-06T16:00:00.000Z');
    expect(toChinaLocal(new Date('2026-12-07T11:00:00Z'))).toBe('2026-12-07T19:00');
    expect(toChinaLocal(fromChinaLocal('2027-01-01T00:05'))).toBe('2027-01-01T00:05');
  });

  it('gives an Invalid Date for anything that is not a local date or time', () => {
    for (const bad of ['', '2026-12-07T19', '7/12/2026', '2026-12-07T19:00Z', '2026-13-01'])
      expect(Number.isNaN(fromChinaLocal(bad).getTime()), bad).toBe(true);
  });

  it('builds instants from wall-clock parts, rolling over like Date.UTC', () => {
    expect(chinaInstant(2026, 11, 7, 9).toISOString()).toBe('2026-12-07T01:00:00.000Z');
    expect(chinaInstant(2026, 0, 1, 0).toISOString()).toBe('2025-12-31T16:00:00.000Z');
    // 31 April is 1 May; month 12 is January of the next year.
    expect(chinaParts(chinaInstant(2026, 3, 31, 9))).toMatchObject({ month: 4, day: 1 });
    expect(chinaParts(chinaInstant(2026, 12, 15, 9))).toMatchObject({ year: 2027, month: 0 });
  });

  it('finds a time some days on, from the China day rather than the UTC one', () => {
    // 23:30 China time on 31 December is still 30 December in UTC.
    const lateNight = fromChinaLocal('2026-12-31T23:30');
    expect(toChinaLocal(chinaDayAt(lateNight, 1, 9))).toBe('2027-01-01T09:00');
    expect(toChinaLocal(chinaDayAt(lateNight, -6, 9))).toBe('2026-12-25T09:00');
    expect(toChinaLocal(chinaDayAt(lateNight, 0, 19, 30))).toBe('2026-12-31T19:30');
    expect(chinaDay(daysAfter(lateNight, 1))).toBe('2027-01-01');
  });

  it('says a moment briefly, in China time', () => {
    expect(chinaShortMoment(new Date('2026-12-06T16:05:00Z'))).toBe('12/7 00:05');
  });
});
