import { chinaParts } from '@tongxin/shared/time/china';
import { getLocale } from '$lib/paraglide/runtime';

// Dates are written out by hand, not with Intl.DateTimeFormat: a page's first Intl formatter
// loads the locale's ICU data, a main-thread stall of 100 ms and more on a slow phone, and the
// room's heading (its largest paint) waits for it. Both languages need no more than this.
const MONTHS_EN = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
const WEEKDAYS_EN = 'Sun Mon Tue Wed Thu Fri Sat'.split(' ');
const WEEKDAYS_ZH = '周日 周一 周二 周三 周四 周五 周六'.split(' ');
const pad = (n: number) => String(n).padStart(2, '0');
const chinese = () => getLocale() === 'zh-CN';

/** The calendar fields of a moment in China time, wherever the reader's phone is set. */
function inChina(iso: string) {
  const at = new Date(iso);
  const { year, month, day, hour, minute } = chinaParts(at);
  const weekday = new Date(Date.UTC(year, month, day)).getUTCDay();
  return { month, day, weekday, time: `${pad(hour)}:${pad(minute)}` };
}

/** A date as people write it in the language on screen, e.g. 2026年12月1日 / Dec 1, 2026. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  const [year, month, day] = [d.getFullYear(), d.getMonth(), d.getDate()];
  return chinese() ? `${year}年${month + 1}月${day}日` : `${MONTHS_EN[month]} ${day}, ${year}`;
}

/** The link that an invitation code is shared as. */
export function invitationLink(code: string): string {
  return `${location.origin}/invite/${encodeURIComponent(code)}`;
}

/** An activity's time as people say it: 11月27日周五 10:00–12:00 / Fri, Nov 27 10:00–12:00. */
export function formatActivityTime(startsAt: string, endsAt: string): string {
  const start = inChina(startsAt);
  const day = chinese()
    ? `${start.month + 1}月${start.day}日${WEEKDAYS_ZH[start.weekday]}`
    : `${WEEKDAYS_EN[start.weekday]}, ${MONTHS_EN[start.month]} ${start.day}`;
  return `${day} ${start.time}–${inChina(endsAt).time}`;
}

/** A moment, short: 11月27日 10:00 / Nov 27, 10:00. */
export function formatMoment(iso: string): string {
  const at = inChina(iso);
  return chinese()
    ? `${at.month + 1}月${at.day}日 ${at.time}`
    : `${MONTHS_EN[at.month]} ${at.day}, ${at.time}`;
}
