import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Folders depend on each other in one direction only, so each can be read knowing just the ones
// below it. A unit is a folder of src/ (src/platforms/ whole: the adapters sit on top together; what
// the core needs of a platform is src/platform.ts), a file at the root of src/ (deps.ts, config.ts,
// main.ts… sit at different heights), or commands/.

const root = path.resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(rel);
    return entry.name.endsWith('.ts') ? [rel] : [];
  });
}

function unitOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'commands') return 'commands';
  if (parts.length === 2) return file;
  return parts.slice(0, 2).join('/');
}

type Edge = { from: string; to: string; via: string };

function unitEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of [...sourceFiles('src'), ...sourceFiles('commands')]) {
    const text = readFileSync(path.join(root, file), 'utf8');
    for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1]!));
      const from = unitOf(file);
      const to = unitOf(target);
      if (from !== to) edges.push({ from, to, via: `${file} → ${target}` });
    }
  }
  return edges;
}

/** Every cycle's units (strongly connected components of more than one unit), Tarjan's algorithm. */
function cycles(edges: Edge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    if (!next.has(from)) next.set(from, new Set());
    next.get(from)!.add(to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (unit: string): void => {
    index.set(unit, index.size);
    low.set(unit, index.get(unit)!);
    stack.push(unit);
    onStack.add(unit);
    for (const other of next.get(unit) ?? []) {
      if (!index.has(other)) {
        visit(other);
        low.set(unit, Math.min(low.get(unit)!, low.get(other)!));
      } else if (onStack.has(other)) {
        low.set(unit, Math.min(low.get(unit)!, index.get(other)!));
      }
    }
    if (low.get(unit) === index.get(unit)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== unit);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const unit of next.keys()) if (!index.has(unit)) visit(unit);
  return found;
}

describe('folder dependencies', () => {
  const edges = unitEdges();

  it('reads the imports between folders', () => {
    // Guards the scan itself: the store is imported from many folders, and reads papers/.
    expect(edges.filter((e) => e.to === 'src/store').length).toBeGreaterThan(20);
    expect(edges.some((e) => e.from === 'src/store' && e.to === 'src/papers')).toBe(true);
  });

  it('finds a cycle when there is one', () => {
    const planted = [...edges, { from: 'src/papers', to: 'src/store', via: 'planted' }];
    expect(cycles(planted).some((units) => units.includes('src/papers') && units.includes('src/store'))).toBe(true);
  });

  it('has no cycle between folders', () => {
    const report = cycles(edges).map((units) =>
      [units.join(' ↔ '), ...edges.filter((e) => units.includes(e.from) && units.includes(e.to)).map((e) => `  ${e.via}`)].join('\n'),
    );
    expect(report).toEqual([]);
  });
});
