import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** Reading deploy/k8s as kustomize would, for the manifest test (no kubectl here). */
export const ROOT = join(__dirname, '..', '..');
export const K8S = join(ROOT, 'deploy', 'k8s');
export const BASE = join(K8S, 'base');
export const PRODUCTION = join(K8S, 'overlays', 'production');
export const SINGLE = join(K8S, 'overlays', 'single');

// Parsed manifests are walked freely; the assertions are their type checks.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Doc = Record<string, any>;

export function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return yamlFiles(path);
    }
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

export function readDocs(path: string): Doc[] {
  const docs = parseAllDocuments(readFileSync(path, 'utf8'));
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      throw new Error(`${relative(ROOT, path)}: ${doc.errors.map((e) => e.message).join('; ')}`);
    }
  }
  return docs.map((doc) => doc.toJS() as Doc).filter((doc) => doc !== null);
}

export function readDoc(path: string): Doc {
  const [doc] = readDocs(path);
  return doc;
}

export function kustomization(dir: string): Doc {
  return readDoc(join(dir, 'kustomization.yaml'));
}

/** The resources a kustomization renders from files, recursing into bases (kustomize's job). */
export function resourcesOf(dir: string): Doc[] {
  return ((kustomization(dir).resources ?? []) as string[]).flatMap((entry) => {
    const path = resolve(dir, entry);
    return statSync(path).isDirectory() ? resourcesOf(path) : readDocs(path);
  });
}

export function find(docs: Doc[], kind: string, name: string): Doc | undefined {
  return docs.find((doc) => doc.kind === kind && doc.metadata?.name === name);
}

/** NAME=value literals of a generator, merged over the base's as `behavior: merge` does. */
export function generatedConfig(dirs: string[], name: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const dir of dirs) {
    const generators = (kustomization(dir).configMapGenerator ?? []) as Doc[];
    for (const generator of generators.filter((g) => g.name === name)) {
      for (const literal of (generator.literals ?? []) as string[]) {
        const at = literal.indexOf('=');
        values[literal.slice(0, at)] = literal.slice(at + 1);
      }
    }
  }
  return values;
}

/**
 * Every env name the app reads: the validated env classes' properties and direct process.env
 * reads, in every src/**\/*.config.ts. A manifest naming anything else sets nothing.
 */
export function envNamesTheAppReads(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  for (const file of walk(join(ROOT, 'src')).filter((f) => f.endsWith('.config.ts'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\b([A-Z][A-Z0-9_]+)\?:/g)) {
      names.add(match[1]);
    }
    for (const match of text.matchAll(/process\.env\.([A-Z][A-Z0-9_]+)/g)) {
      names.add(match[1]);
    }
  }
  return names;
}
