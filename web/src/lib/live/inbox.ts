import { inboxDoc } from '@tongxin/shared/live/documents';
import type { Inbox } from '@tongxin/shared/notifications/notifications';
import { LiveDoc } from './live-doc.svelte';

/**
 * A person's live inbox (the bell's count). Its own module, imported only once a page has
 * shown itself: it brings Yjs and y-websocket, which no page needs for its first paint.
 */
export function openInbox(userId: string): {
  live: LiveDoc;
  inbox: { readonly current: Inbox | undefined };
} {
  const live = new LiveDoc(inboxDoc(userId));
  return { live, inbox: live.value<Inbox>('inbox', 'data') };
}
