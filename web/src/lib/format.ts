import { CHINA_TIME_ZONE as CHINA } from '@tongxin/shared/time/china';
import { getLocale } from '$lib/paraglide/runtime';

/** A date as people write it in the language on screen, e.g. 2026年12月1日 / 1 Dec 2026. */
export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium' }).format(new Date(iso));
}

/** The link that an invitation code is shared as. */
export function invitationLink(code: string): string {
  return `${location.origin}/invite/${encodeURIComponent(code)}`;
}

/** A shift's time as people say it: 11月27日周五 10:00–12:00 / Fri 27 Nov, 10:00–12:00. */
export function formatShift(startsAt: string, endsAt: string): string {
  const locale = getLocale();
  const day = new Intl.DateTimeFormat(locale, {
    timeZone: CHINA,
    month: 'short',
    day: 'numeric',
    weekday: 'short',
  }).format(new Date(startsAt));
  const time = new Intl.DateTimeFormat(locale, {
    timeZone: CHINA,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return `${day} ${time.format(new Date(startsAt))}–${time.format(new Date(endsAt))}`;
}

/** A moment, short: 11月27日 10:00. */
export function formatMoment(iso: string): string {
  return new Intl.DateTimeFormat(getLocale(), {
    timeZone: CHINA,
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}
