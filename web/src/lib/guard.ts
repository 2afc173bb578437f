import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { withQuery } from './navigation';
import { session } from './session.svelte';

/** For load functions of pages that need a signed-in person: else to the login page and back. */
export async function requireLogin(url: URL) {
  await session.load();
  if (!session.me) {
    redirect(307, withQuery(resolve('/login'), { next: url.pathname + url.search }));
  }
}
