import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The JavaScript one page load fetched: its built files' sizes, as sent and on the wire. */
export interface Javascript {
  files: number;
  /** Uncompressed bytes. */
  raw: number;
  /** The precompressed .gz and .br files the server would send instead. */
  gzip: number;
  brotli: number;
  /**
   * Of `gzip`, what the page asked for by a dynamic import only (the bell's live document):
   * the scripts not statically imported by the app's entry or the page's own node.
   */
  gzipLazy: number;
  /** What Chromium counted on the wire, headers included (over plain HTTP it takes gzip). */
  transferred: number;
}

interface Request {
  url: string;
  resourceType?: string;
  transferSize?: number;
}

const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);

/** Files `file` imports statically (`import…from"./x.js"`, `import"./x.js"`), recursively. */
function staticClosure(roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*"(\.[^"]+\.js)"/g)) {
      visit(join(dirname(file), m[1]!));
    }
  };
  roots.forEach(visit);
  return seen;
}

export function javascriptOf(webBuild: string, requests: readonly Request[]): Javascript {
  const total: Javascript = { files: 0, raw: 0, gzip: 0, brotli: 0, gzipLazy: 0, transferred: 0 };
  const scripts = requests.filter((r) => r.resourceType === 'Script');
  const files = scripts.map((r) => join(webBuild, new URL(r.url).pathname));
  // The router loads the entry and the page's node; everything they import comes at once.
  const critical = staticClosure(files.filter((f) => /[\\/](entry|nodes)[\\/]/.test(f)));
  scripts.forEach((r, i) => {
    const file = files[i]!;
    const gzip = size(`${file}.gz`);
    total.files += 1;
    total.raw += size(file);
    total.gzip += gzip;
    total.brotli += size(`${file}.br`);
    if (!critical.has(file)) total.gzipLazy += gzip;
    total.transferred += r.transferSize ?? 0;
  });
  return total;
}
