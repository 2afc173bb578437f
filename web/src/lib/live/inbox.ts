import { inboxDoc } from '@tongxin/shared/live/documents';
import type { Inbox } from '@tongxin/shared/notifications/notifications';
import { LiveDoc } from './live-doc.svelte';

interface Shared {
  live: LiveDoc;
  inbox: { readonly current: Inbox | undefined };
  users: number;
}
const open = new Map<string, Shared>();

/**
 * A person's live inbox (the bell's count, and the home page's 待办 listens to it too). Its
 * own module, imported only once a page has shown itself: it brings Yjs and y-websocket,
 * which no page needs for its first paint. Everyone on the page shares one socket: `release`
 * closes it once the last of them lets go.
 */
export function openInbox(userId: string): {
  live: LiveDoc;
  inbox: { readonly current: Inbox | undefined };
  release: () => void;
} {
  let shared = open.get(userId);
  if (!shared) {
    const live = new LiveDoc(inboxDoc(userId));
    shared = { live, inbox: live.value<Inbox>('inbox', 'data'), users: 0 };
    open.set(userId, shared);
  }
  shared.users += 1;
  const it = shared;
  let released = false;
  return {
    live: it.live,
    inbox: it.inbox,
    release() {
      if (released) return;
      released = true;
      it.users -= 1;
      if (it.users > 0) return;
      open.delete(userId);
      it.live.destroy();
    },
  };
}
