import {
  getLocale,
  overwriteGetLocale,
  setLocale as storeLocale,
  type Locale,
} from '$lib/paraglide/runtime';

/**
 * The language on screen. Paraglide's message functions call getLocale(); pointing it at
 * this $state makes every translated string in a template update on a switch, with no reload.
 */
class LocaleState {
  current = $state<Locale>(getLocale());
}

export const locale = new LocaleState();
overwriteGetLocale(() => locale.current);

/** Shows the app in `next` and remembers the choice on this device (localStorage). */
export function applyLocale(next: Locale) {
  storeLocale(next, { reload: false });
  locale.current = next;
}
