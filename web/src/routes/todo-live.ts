import { problemsDoc, roomDoc } from '@tongxin/shared/live/documents';
import type { TodoView } from '@tongxin/shared/todo/todo.schemas';
import { openInbox } from '$lib/live/inbox';
import { LiveDoc, type LiveStatus } from '$lib/live/live-doc.svelte';

/** The room's keys that can change the 待办: its stage, the topics raised, the action items. */
const ROOM_KEYS = ['stage', 'raised', 'items'] as const;

/**
 * Calls `changed` whenever something that may change the viewer's 待办 changes: their own
 * inbox (shared with the bell), the rooms and 随手拍 lists the last answer named. No timer:
 * each document says when it changed. The first value each document shows counts as a change:
 * the document opens after the answer that named it, so something may have happened between
 * (as the double-report board watch does). A value shown again after a reconnect unchanged
 * is not a change.
 */
export class TodoWatch {
  readonly #inbox: ReturnType<typeof openInbox>;
  readonly #docs = new Map<string, { live: LiveDoc; stop: () => void }>();
  readonly #changed: () => void;

  constructor(userId: string, changed: () => void) {
    this.#changed = changed;
    this.#inbox = openInbox(userId);
    this.#follow(this.#inbox.live, 'inbox', ['data']);
  }

  /** The inbox's connection: the page says where it stands (连接中 / 已同步 / 离线). */
  get status(): LiveStatus {
    return this.#inbox.live.status;
  }

  /** Listens to what this answer names, and stops listening to what it no longer does. */
  watch(watch: TodoView['watch']): void {
    const wanted = new Map<string, () => LiveDoc>();
    for (const id of watch.rooms) wanted.set(roomDoc(id), () => new LiveDoc(roomDoc(id)));
    for (const id of watch.problems)
      wanted.set(problemsDoc(id), () => new LiveDoc(problemsDoc(id)));
    for (const [name, doc] of this.#docs)
      if (!wanted.has(name)) {
        doc.stop();
        doc.live.destroy();
        this.#docs.delete(name);
      }
    for (const [name, make] of wanted) {
      if (this.#docs.has(name)) continue;
      const live = make();
      const stop = name.startsWith(`${roomDoc.prefix}:`)
        ? this.#follow(live, 'room', ROOM_KEYS)
        : this.#follow(live, 'list', ['data']);
      this.#docs.set(name, { live, stop });
    }
  }

  /** Calls back when one of the map's keys holds something other than it held before. */
  #follow(live: LiveDoc, mapName: string, keys: readonly string[]): () => void {
    const map = live.doc.getMap(mapName);
    const seen = new Map<string, string>();
    const read = (key: string) => JSON.stringify(map.get(key) ?? null);
    for (const key of keys) if (map.has(key)) seen.set(key, read(key));
    // Already synced (the inbox the bell holds): what it shows may be newer than the answer.
    if (seen.size > 0) queueMicrotask(this.#changed);
    const observer = (event: { keysChanged: Set<string> }) => {
      let moved = false;
      for (const key of keys) {
        if (!event.keysChanged.has(key)) continue;
        const now = read(key);
        const before = seen.get(key);
        seen.set(key, now);
        if (before !== now) moved = true;
      }
      if (moved) this.#changed();
    };
    map.observe(observer);
    return () => map.unobserve(observer);
  }

  destroy(): void {
    for (const doc of this.#docs.values()) {
      doc.stop();
      doc.live.destroy();
    }
    this.#docs.clear();
    this.#inbox.release();
  }
}
