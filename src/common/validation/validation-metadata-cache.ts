import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type Metadatas = ReturnType<Storage['getTargetValidationMetadatas']>;
type Grouped = ReturnType<Storage['groupByPropertyName']>;

const cached = new WeakSet<Storage>();

/**
 * class-validator looks a class's validation metadata up again for every object it validates
 * (the body and each message): it walks every registered class and filters their metadata each
 * time, ~1% of a request's CPU at c32, for an answer that is fixed once the DTO classes are
 * loaded. This keeps the answers for calls without validation groups (the gateway's), and
 * forgets them whenever a decorator registers more metadata, so a class loaded later is seen.
 * Validation itself, errors and messages are class-validator's own.
 */
export function cacheValidationMetadata(storage: Storage = getMetadataStorage()): void {
  if (cached.has(storage)) {
    return;
  }
  cached.add(storage);
  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const register = storage.addValidationMetadata.bind(storage);
  let byTarget = new Map<unknown, Map<string, Metadatas>>();
  let grouped = new WeakMap<Metadatas, Grouped>();

  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (groups !== undefined && groups.length > 0) {
      return lookUp(target, schema, always, strictGroups, groups);
    }
    const key = `${schema}\u0000${always}\u0000${strictGroups}`;
    let forTarget = byTarget.get(target);
    if (forTarget === undefined) {
      forTarget = new Map();
      byTarget.set(target, forTarget);
    }
    let metadatas = forTarget.get(key);
    if (metadatas === undefined) {
      metadatas = lookUp(target, schema, always, strictGroups, groups);
      forTarget.set(key, metadatas);
    }
    return metadatas;
  };
  storage.groupByPropertyName = (metadatas) => {
    let result = grouped.get(metadatas);
    if (result === undefined) {
      result = group(metadatas);
      grouped.set(metadatas, result);
    }
    return result;
  };
  storage.addValidationMetadata = (metadata) => {
    byTarget = new Map();
    grouped = new WeakMap();
    register(metadata);
  };
}
