import type * as Y from 'yjs';
import type { User } from '@tongxin/db/database';

export type Access = 'none' | 'read' | 'write';

/**
 * - `server-owned`: governed state; only the server writes it (through `live.change`), every
 *   client is read-only whatever `access` says.
 * - `collaborative`: clients with `write` access edit it together.
 */
export type DocumentKind = 'server-owned' | 'collaborative';

export interface DocumentDefinition {
  /** `prefix:*` matches every name starting with `prefix:`; anything else matches exactly. */
  pattern: string;
  kind: DocumentKind;
  access(user: User, docName: string): Access | Promise<Access>;
  /**
   * Initial content, written once when the document has nothing stored; after that the
   * stored state wins however often the server restarts.
   */
  seed?(doc: Y.Doc, docName: string): void | Promise<void>;
  /**
   * Projections of the database: brought up to date each time the document loads, since a
   * crash between a commit and its publication leaves the stored copy behind. Returns the
   * change to apply (reading is async, changing is not).
   */
  refresh?(docName: string): Promise<(doc: Y.Doc) => void>;
}

/** Document-name patterns → definitions; features fill it in at start-up. */
export class DocumentRegistry {
  readonly #exact = new Map<string, DocumentDefinition>();
  readonly #prefixes: Array<[string, DocumentDefinition]> = [];

  register(definition: DocumentDefinition): void {
    const { pattern } = definition;
    if (pattern.endsWith('*')) {
      const prefix = pattern.slice(0, -1);
      if (this.#prefixes.some(([p]) => p === prefix))
        throw new Error(`duplicate pattern ${pattern}`);
      this.#prefixes.push([prefix, definition]);
      // Longest prefix first, so `meeting:minutes:*` wins over `meeting:*`.
      this.#prefixes.sort((a, b) => b[0].length - a[0].length);
    } else {
      if (this.#exact.has(pattern)) throw new Error(`duplicate pattern ${pattern}`);
      this.#exact.set(pattern, definition);
    }
  }

  find(docName: string): DocumentDefinition | undefined {
    return this.#exact.get(docName) ?? this.#prefixes.find(([p]) => docName.startsWith(p))?.[1];
  }
}

/** What a user may do on a document, with the kind applied (server-owned = read at most). */
export async function decideAccess(
  definition: DocumentDefinition,
  user: User,
  docName: string,
): Promise<Access> {
  const access = await definition.access(user, docName);
  if (access === 'write' && definition.kind === 'server-owned') return 'read';
  return access;
}
