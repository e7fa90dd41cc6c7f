import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * docs/architecture.md shows the import graph between src/ folders; this keeps it true and
 * holds the rules it states: infrastructure imports no feature, and no folder imports itself
 * back through others.
 */
const ROOT = join(__dirname, '..');

function actualGraph(): Map<string, string[]> {
  const printed = execFileSync('node', [join(ROOT, 'scripts', 'module-deps.js')], {
    encoding: 'utf8',
  });
  return new Map(
    printed
      .trim()
      .split('\n')
      .map((line) => {
        const [from, to] = line.split(' -> ');
        return [from, to === '(nothing)' ? [] : to.split(', ')];
      }),
  );
}

describe('the module graph', () => {
  const graph = actualGraph();

  it('should be the one docs/architecture.md shows', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
    const documented = doc
      .match(/```\n(\(root\) -> [\s\S]*?)```/)?.[1]
      .trim()
      .split('\n');
    const printed = [...graph].map(([from, to]) => `${from} -> ${to.join(', ') || '(nothing)'}`);
    expect(documented).toEqual(printed);
  });

  it.each([
    ['common', []],
    ['config', []],
    ['catalog', []],
    ['tokens', []],
    ['lifecycle', []],
    ['metrics', ['common', 'config']],
    ['logging', ['common', 'config']],
    ['auth', ['common', 'config']],
  ])('should let the infrastructure folder %s import only %p', (folder, allowed) => {
    expect(graph.get(folder)?.filter((to) => !allowed.includes(to))).toEqual([]);
  });

  it('should have no cycle between folders', () => {
    // providers/ is one family: its module registers the upstreams, which implement its interface.
    const family = (folder: string) => folder.replace(/^providers\/.*/, 'providers');
    const families = new Map<string, Set<string>>();
    for (const [from, to] of graph) {
      const targets = families.get(family(from)) ?? new Set<string>();
      to.map(family)
        .filter((target) => target !== family(from))
        .forEach((target) => targets.add(target));
      families.set(family(from), targets);
    }
    const cycles: string[] = [];
    const visit = (at: string, path: string[]) => {
      for (const next of families.get(at) ?? []) {
        if (next === path[0]) {
          cycles.push([...path, next].join(' -> '));
        } else if (!path.includes(next)) {
          visit(next, [...path, next]);
        }
      }
    };
    for (const folder of families.keys()) {
      visit(folder, [folder]);
    }
    expect(cycles).toEqual([]);
  });
});
