import { modelNotFound } from './straico-errors';
import { STRAICO_PRICING_METHODS, StraicoPricingMethod } from './straico.types';

/**
 * Straico's smart selector behind the gateway's `auto`, in one place: the model id the route
 * planner sends to the provider for a policy, and how the provider reads it back.
 */

/** The gateway's selection policies as Straico's pricing methods (Straico says `budget`). */
const PRICING_METHODS = { cost: 'budget', balance: 'balance', quality: 'quality' } as const;
type GatewayPolicy = keyof typeof PRICING_METHODS;

const AUTO = /^auto(?::(\w+))?$/;

/** The model id that asks Straico's selector for `policy`; none leaves Straico's default. */
export function straicoAutoModel(policy?: GatewayPolicy): string {
  return policy === undefined ? 'auto' : `auto:${PRICING_METHODS[policy]}`;
}

/**
 * The pricing method an `auto` model asks Straico's selector for (`fallback` for plain `auto`),
 * or undefined when the model is not `auto`; an unknown method is a 404, as for any model.
 */
export function straicoSelectorMethod(
  model: string,
  fallback: StraicoPricingMethod,
): StraicoPricingMethod | undefined {
  const auto = AUTO.exec(model);
  if (!auto) {
    return undefined;
  }
  const method = (auto[1] ?? fallback) as StraicoPricingMethod;
  if (!STRAICO_PRICING_METHODS.includes(method)) {
    throw modelNotFound(
      model,
      STRAICO_PRICING_METHODS.map((known) => `auto:${known}`),
    );
  }
  return method;
}
