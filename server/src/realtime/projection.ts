import type * as Y from 'yjs';
import type { User } from '@tongxin/db/database';
import { Coalescer } from './coalescer.ts';
import type { Access, DocumentDefinition } from './registry.ts';

/**
 * What a projected document holds: top-level map name → that map's entries (plain JSON
 * values). `{ activities: { [activityId]: activity } }`, `{ board: { data: board } }`…
 */
export type ProjectedMaps = Record<string, object>;

export interface ProjectionDefinition {
  /** The documents are named `<prefix>:<key>` (a community id, a user id, a roundtable id). */
  prefix: string;
  access(user: User, key: string): Access | Promise<Access>;
  /**
   * Reads the database: the whole document as it should be now. `null` leaves the document
   * as it is (its row is gone). Runs on every load and after every `publish`.
   */
  project(key: string): Promise<ProjectedMaps | null>;
}

export interface Projection {
  docName(key: string): string;
  /**
   * Call after the commit that changed the facts of `key`. Bursts are coalesced (a run in
   * progress queues one more, which sees them all). Resolves once published, or at once if
   * nobody has the document open: its next load projects it anyway.
   */
  publish(key: string): Promise<void>;
  /** Waits for every publish scheduled so far (tests). */
  idle(): Promise<void>;
}

/** The part of the live service a projection needs. */
export interface ProjectionHost {
  registerDocument(definition: DocumentDefinition): void;
  refresh(docName: string): Promise<void>;
}

/**
 * A server-owned live document that is a projection of the database, never edited by hand:
 * rebuilt from the database when it loads and after each commit, so a server killed
 * between a commit and its publication shows the right state again the next time the
 * document is opened (docs/decisions/0009-projections.md).
 */
export function createProjection(
  host: ProjectionHost,
  definition: ProjectionDefinition,
  onError: (error: unknown) => void,
): Projection {
  const head = `${definition.prefix}:`;
  const docName = (key: string) => head + key;
  const keyOf = (name: string) => name.slice(head.length);
  host.registerDocument({
    pattern: `${head}*`,
    kind: 'server-owned',
    access: (user, name) => definition.access(user, keyOf(name)),
    async refresh(name) {
      const maps = await definition.project(keyOf(name));
      return (doc) => {
        if (maps) applyProjection(doc, maps);
      };
    },
  });
  const coalescer = new Coalescer((name) => host.refresh(name), onError);
  return {
    docName,
    publish: (key) => coalescer.schedule(docName(key)),
    idle: () => coalescer.idle(),
  };
}

/**
 * Writes only the entries whose value changed and deletes those the projection no longer
 * has, so a vote does not resend the agenda and an unchanged load stores nothing.
 */
export function applyProjection(doc: Y.Doc, maps: ProjectedMaps): void {
  for (const [mapName, entries] of Object.entries(maps)) {
    const map = doc.getMap<unknown>(mapName);
    const wanted = new Map(Object.entries(entries).filter(([, value]) => value !== undefined));
    for (const key of [...map.keys()]) if (!wanted.has(key)) map.delete(key);
    for (const [key, value] of wanted)
      if (JSON.stringify(map.get(key)) !== JSON.stringify(value)) map.set(key, value);
  }
}
