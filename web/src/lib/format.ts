import { getLocale } from '$lib/paraglide/runtime';

/** A date as people write it in the language on screen, e.g. 2026年12月1日 / 1 Dec 2026. */
export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium' }).format(new Date(iso));
}

/** The link that an invitation code is shared as. */
export function invitationLink(code: string): string {
  return `${location.origin}/invite/${encodeURIComponent(code)}`;
}
