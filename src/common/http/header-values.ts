/** Longest value the gateway puts in a response header it fills from data (model ids…). */
export const MAX_HEADER_VALUE_LENGTH = 256;

/**
 * A value that can always be sent as a header: printable ASCII only (a CR, LF or NUL would
 * make Node throw after the upstream was paid, and non-ASCII is refused by clients), and
 * short. Values from upstreams (a selector's model id) pass through here.
 */
export function safeHeaderValue(value: string): string {
  const printable = /^[\x20-\x7e]*$/.test(value) ? value : value.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > MAX_HEADER_VALUE_LENGTH
    ? printable.slice(0, MAX_HEADER_VALUE_LENGTH)
    : printable;
}
