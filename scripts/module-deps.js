#!/usr/bin/env node
/**
 * Prints which top-level folder of src/ imports which (relative imports of non-spec files),
 * one line per folder: `completions -> common, memory, providers`. docs/architecture.md lists
 * the allowed edges; this shows the real ones.
 */
const fs = require('node:fs');
const path = require('node:path');

const SRC = path.join(__dirname, '..', 'src');
const IMPORT = /(?:from|import\()\s*['"](\.[^'"]+)['"]/g;

function moduleOf(file) {
  const parts = path.relative(SRC, file).split(path.sep);
  if (parts.length === 1) return '(root)';
  return parts[0] === 'providers' && parts.length > 2 ? `providers/${parts[1]}` : parts[0];
}

function* sourceFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) yield full;
  }
}

const edges = new Map();
for (const file of sourceFiles(SRC)) {
  const from = moduleOf(file);
  const targets = edges.get(from) ?? new Set();
  edges.set(from, targets);
  for (const [, specifier] of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const to = moduleOf(path.resolve(path.dirname(file), specifier));
    if (to !== from) targets.add(to);
  }
}
for (const [from, targets] of [...edges].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`${from} -> ${[...targets].sort().join(', ') || '(nothing)'}`);
}
