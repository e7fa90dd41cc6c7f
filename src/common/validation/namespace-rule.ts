/**
 * What a memory namespace may be called. Both the keys file (namespaces granted to a key) and
 * the memory API check names against it, so it lives here rather than in either of them.
 */
export const NAMESPACE_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;
export const NAMESPACE_RULE = 'must be 1-128 characters of A-Z, a-z, 0-9 and . _ : @ -';
