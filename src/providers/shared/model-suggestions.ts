import { distance } from 'fastest-levenshtein';

/** The known ids closest to a mistyped one (edit distance), for "did you mean" hints. */
export function closestModels(model: string, knownModels: readonly string[], count = 3): string[] {
  const wanted = model.toLowerCase();
  return knownModels
    .map((id) => ({ id, score: distance(wanted, id.toLowerCase()) }))
    .sort((a, b) => a.score - b.score || a.id.localeCompare(b.id))
    .slice(0, count)
    .map((entry) => entry.id);
}
