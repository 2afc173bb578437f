import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The page walk loads each page once, on a phone, and looks at it on a laptop by resizing it
// (tests/support/page-walk.ts). That is the page a laptop loads only while the layout is CSS
// alone: a script that read the window's width when a page starts could draw it differently.
// This keeps that true; if a page ever needs the width in a script, give the walk its laptop
// loads back and remove this test.

const web = path.resolve(import.meta.dirname, '../../../web/src');
const WIDTH_IN_SCRIPT =
  /\b(innerWidth|outerWidth|innerHeight|matchMedia|MediaQuery|screen\.width|clientWidth|ResizeObserver)\b/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'paraglide' ? [] : sources(full);
    return /\.(svelte|ts|js)$/.test(entry.name) ? [full] : [];
  });
}

describe('the layout', () => {
  it('is CSS alone: no page script reads the window’s size', () => {
    const files = sources(web);
    expect(files.length).toBeGreaterThan(50);
    const reading = files
      .filter((file) => WIDTH_IN_SCRIPT.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(web, file));
    expect(reading).toEqual([]);
  });
});
