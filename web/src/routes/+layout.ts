import { session } from '$lib/session.svelte';

// A client-only app: the server hands out build/index.html for every page, and all data comes
// from /api at run time, so nothing is rendered or prerendered ahead.
export const ssr = false;
export const prerender = false;

export async function load() {
  // Every page shows who is signed in (header), so know that before the first render.
  await session.load();
}
