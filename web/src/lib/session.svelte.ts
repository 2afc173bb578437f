import type {
  LoginBody,
  MeView,
  RegisterBody,
  UpdateProfileBody,
} from '@tongxin/shared/auth.schemas';
import type { Locale } from '$lib/paraglide/runtime';
import { api } from './api';
import { applyLocale, locale } from './i18n.svelte';

/** Who is signed in: `me` is null when logged out. */
class Session {
  me = $state<MeView | null>(null);
  #firstCheck: Promise<void> | undefined;

  /** Asks the server who we are, once per page load; later calls wait for the same answer. */
  load(): Promise<void> {
    // /api/auth/session answers 200 when signed out too, so no failed request is logged.
    this.#firstCheck ??= api.GET('/api/auth/session').then(({ me }) => {
      if (me) this.signedIn(me);
    });
    return this.#firstCheck;
  }

  async login(body: LoginBody) {
    this.signedIn(await api.POST('/api/auth/login', { body }));
  }

  async register(body: RegisterBody) {
    this.signedIn(await api.POST('/api/auth/register', { body }));
  }

  async logout() {
    await api.POST('/api/auth/logout');
    this.me = null;
  }

  async updateProfile(body: UpdateProfileBody) {
    this.me = await api.PATCH('/api/me', { body });
  }

  /** Switches the language on screen and, when signed in, saves it to the account. */
  async switchLocale(next: Locale) {
    applyLocale(next);
    if (this.me && this.me.locale !== next) await this.updateProfile({ locale: next });
  }

  /** Takes the person returned by login, register or accepting an invitation. */
  signedIn(me: MeView) {
    this.me = me;
    // The account's saved language wins over this device's choice.
    if (me.locale !== locale.current) applyLocale(me.locale);
  }
}

export const session = new Session();
