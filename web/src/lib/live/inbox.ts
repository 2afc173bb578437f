import { inboxDocName, type Inbox } from '@tongxin/shared/notifications/notifications';
import { LiveDoc } from './live-doc.svelte';

/**
 * A person's live inbox (the bell's count). Its own module, imported only once a page has
 * shown itself: it brings Yjs, y-websocket and the notification schemas, which no page needs
 * for its first paint.
 */
export function openInbox(userId: string): {
  live: LiveDoc;
  inbox: { readonly current: Inbox | undefined };
} {
  const live = new LiveDoc(inboxDocName(userId));
  return { live, inbox: live.value<Inbox>('inbox', 'data') };
}
