/** What the gateway knows about the caller once its proxy key is accepted. */
export interface ApiKeyIdentity {
  /** Stable, non-secret name used in logs, metrics and throttling keys. */
  readonly id: string;
  /** Models this key may use; undefined means any. */
  readonly allowedModels?: ReadonlySet<string>;
  /** Overrides of the global request limit for this key. */
  readonly rateLimit?: { readonly limit: number; readonly ttlMs: number };
  /** Tokens per minute for this key, overriding THROTTLE_TPM. */
  readonly tpm?: number;
  /** Memory namespace for requests that name none; undefined means `default`. */
  readonly memoryNamespace?: string;
  /** Memory namespaces this key shares with the other keys granted them. */
  readonly sharedNamespaces?: ReadonlySet<string>;
}

declare module 'http' {
  interface IncomingMessage {
    apiKey?: ApiKeyIdentity;
  }
}
