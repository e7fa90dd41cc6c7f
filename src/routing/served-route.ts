/**
 * How one request was served: the route that answered and what its upstream said about the
 * answer. The HTTP edge (completions/gateway-headers.ts) is the only place that turns it into
 * response headers or stream trailers.
 */
export interface ServedRoute {
  /** The provider's id, e.g. `openai`. */
  provider: string;
  /** The public id of the model that answered; a selector's pick once the upstream named it. */
  model: string;
  /** Why `auto` chose that model, when a selector chose. */
  selectionReason?: string;
  /** The routes passed over before this one, each with why, in the order they were tried. */
  fallbacks: readonly string[];
  /** What the answer cost in Straico coins, once Straico said. */
  coins?: number;
}

/** A result with the route that produced it. */
export interface Served<T> {
  result: T;
  /**
   * For a stream, facts its upstream learns only at the end (an emulated stream's model and
   * cost) are written into this record then: the edge sends what changed as trailers.
   */
  route: ServedRoute;
}
