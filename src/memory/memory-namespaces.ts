import { ApiKeyIdentity } from '../auth/api-key.types';
import { NamespaceDto } from './dto/memory.dto';
import { toNamespaceDto } from './memory.mappers';
import { NamespaceSummary } from './memory.types';

/**
 * What a key sees as its namespaces: its own, plus every shared namespace granted to it (even
 * one with nothing stored yet), sorted by name. A private namespace that is also granted
 * shared is shadowed: requests naming it reach the shared one, so only that one is listed.
 */
export function visibleNamespaces(
  key: ApiKeyIdentity,
  own: readonly NamespaceSummary[],
  shared: readonly NamespaceSummary[],
): NamespaceDto[] {
  const granted = [...(key.sharedNamespaces ?? [])];
  const sharedByName = new Map(
    shared.filter((s) => granted.includes(s.namespace)).map((s) => [s.namespace, s]),
  );
  return [
    ...own
      .filter((s) => !granted.includes(s.namespace))
      .map((s) => toNamespaceDto(s.namespace, s, false)),
    ...granted.map((name) => toNamespaceDto(name, sharedByName.get(name), true)),
  ].sort((a, b) => a.namespace.localeCompare(b.namespace));
}
