/**
 * China time. Communities keep China Standard Time (UTC+8, no daylight saving) wherever the
 * server runs or the reader's phone is set, so every day, month and wall-clock time in the
 * product is computed here and nowhere else.
 */
export const CHINA_TIME_ZONE = 'Asia/Shanghai';

const OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

/** The instant read as China's wall clock: its UTC fields are the time in China. */
const wallClock = (at: Date) => new Date(at.getTime() + OFFSET_MS);

/** `days` whole days after (or, negative, before) an instant. */
export const daysAfter = (at: Date, days: number) => new Date(at.getTime() + days * DAY_MS);

/** The calendar day in China an instant falls on: 'YYYY-MM-DD'. */
export const chinaDay = (at: Date) => wallClock(at).toISOString().slice(0, 10);

/** The calendar month in China an instant falls in: 'YYYY-MM'. */
export const chinaMonth = (at: Date) => wallClock(at).toISOString().slice(0, 7);

/** The China wall-clock time of an instant as a `datetime-local` value: 'YYYY-MM-DDTHH:mm'. */
export const toChinaLocal = (at: Date) => wallClock(at).toISOString().slice(0, 16);

/**
 * The instant a China wall-clock time names: 'YYYY-MM-DD', 'YYYY-MM-DDTHH:mm' or with seconds.
 * Anything else gives an Invalid Date (check with `Number.isNaN(d.getTime())`).
 */
export function fromChinaLocal(local: string): Date {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(:\d{2})?)?$/.exec(local);
  if (!m) return new Date(NaN);
  return new Date(`${m[1]}T${m[2] ?? '00:00'}${m[3] ?? ':00'}+08:00`);
}

/**
 * The instant of a China wall-clock time given by its parts (month from 0, as in `Date.UTC`).
 * Parts past their range roll over as in `Date.UTC`: day 31 of April is 1 May.
 */
export const chinaInstant = (year: number, month: number, day: number, hour = 0, minute = 0) =>
  new Date(Date.UTC(year, month, day, hour, minute) - OFFSET_MS);

/** The parts of China's wall clock at an instant (month from 0). */
export function chinaParts(at: Date) {
  const w = wallClock(at);
  return {
    year: w.getUTCFullYear(),
    month: w.getUTCMonth(),
    day: w.getUTCDate(),
    hour: w.getUTCHours(),
    minute: w.getUTCMinutes(),
  };
}

/** `days` from the China day of `at`, at `hour`:`minute` China time. */
export function chinaDayAt(at: Date, days: number, hour: number, minute = 0): Date {
  const { year, month, day } = chinaParts(at);
  return chinaInstant(year, month, day + days, hour, minute);
}

/** A short moment for sentences in either language: '12/7 19:00' (China time). */
export function chinaShortMoment(at: Date): string {
  const { month, day } = chinaParts(at);
  return `${month + 1}/${day} ${toChinaLocal(at).slice(11, 16)}`;
}
