/** Injection token for the array of every ChatProvider adapter (Nest has no multi-providers). */
export const CHAT_PROVIDERS = Symbol('CHAT_PROVIDERS');
