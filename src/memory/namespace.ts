import { ApiKeyIdentity } from '../auth/api-key.types';

export const DEFAULT_NAMESPACE = 'default';

/** Every key granted a shared namespace reads and writes this one tenant's copy of it. */
export const SHARED_TENANT = 'shared';

/** Where one key's memories of one namespace live. */
export interface MemoryScope {
  tenant: string;
  namespace: string;
  shared: boolean;
}

/** Tenants are prefixed so that no key id an operator picks can ever name the shared tenant. */
export function keyTenant(key: ApiKeyIdentity): string {
  return `key:${key.id}`;
}

/** A namespace granted as shared resolves to the shared store, even if the key used it before. */
export function memoryScope(key: ApiKeyIdentity, namespace: string): MemoryScope {
  const shared = key.sharedNamespaces?.has(namespace) ?? false;
  return { tenant: shared ? SHARED_TENANT : keyTenant(key), namespace, shared };
}
