import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 16's "the import graph has no cycles", kept true: every import (type-only ones too,
// since they close cycles for a reader just the same) between the server, db and shared
// sources, followed through the @tongxin/* subpath exports.

const root = path.resolve(import.meta.dirname, '../../..');
const packages: Record<string, string> = {
  '@tongxin/server': 'server/src',
  '@tongxin/db': 'db/src',
  '@tongxin/shared': 'shared/src',
};

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'dist' ? [] : sources(relative);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [relative] : [];
  });
}

function resolve(from: string, specifier: string): string | null {
  let target: string | null = null;
  if (specifier.startsWith('.')) target = path.join(path.dirname(from), specifier);
  for (const [name, dir] of Object.entries(packages)) {
    if (specifier === name) target = path.join(dir, 'index');
    else if (specifier.startsWith(`${name}/`))
      target = path.join(dir, specifier.slice(name.length + 1));
  }
  if (!target) return null;
  for (const candidate of [target, `${target}.ts`, path.join(target, 'index.ts')])
    if (candidate.endsWith('.ts') && existsSync(path.join(root, candidate))) return candidate;
  return null;
}

function graph(): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  const importPattern = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/g;
  for (const file of Object.values(packages).flatMap(sources)) {
    const text = readFileSync(path.join(root, file), 'utf8');
    const targets = [...text.matchAll(importPattern)]
      .map((match) => resolve(file, match[1]!))
      .filter((target): target is string => target !== null);
    edges.set(file, targets);
  }
  return edges;
}

function cycles(edges: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of edges.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe('the import graph of server, db and shared', () => {
  it('follows imports across the packages', () => {
    const edges = graph();
    expect(edges.size).toBeGreaterThan(150);
    expect(edges.get('server/src/app.ts')).toContain('db/src/demo/seed-demo.ts');
  });

  it('has no cycles', () => {
    expect(cycles(graph()).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const edges = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
    ]);
    expect(cycles(edges)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });

  it('and the layers point one way: shared imports neither db nor server, db not the server', () => {
    const edges = graph();
    const wrong = [...edges].flatMap(([file, targets]) =>
      targets
        .filter(
          (target) =>
            (file.startsWith('shared/') && !target.startsWith('shared/')) ||
            (file.startsWith('db/') && target.startsWith('server/')),
        )
        .map((target) => `${file} → ${target}`),
    );
    expect(wrong).toEqual([]);
  });
});
