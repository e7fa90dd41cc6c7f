import { GatewayException } from '../common/errors/gateway.exception';

/** How `auto` trades price for ability. */
export type SelectionPolicy = 'cost' | 'balance' | 'quality';
export const SELECTION_POLICIES: readonly SelectionPolicy[] = ['cost', 'balance', 'quality'];

/** Straico calls the cost policy `budget`; clients used to it keep working. */
const SYNONYMS: Readonly<Record<string, SelectionPolicy>> = { budget: 'cost' };

export const POLICY_HEADER = 'x-gateway-policy';

/** `auto`, `auto:<policy>`, or no model at all: the selector decides. */
export function isAutoModel(model: string | null | undefined): boolean {
  return model === undefined || model === null || model === 'auto' || model.startsWith('auto:');
}

/**
 * The policy for an `auto` request. The model's suffix wins over the `x-gateway-policy` header:
 * it is part of the body the client wrote for this request, while a header is often set once
 * for a whole client (an SDK's default headers). Either one naming an unknown policy is a 400.
 */
export function parsePolicy(
  model: string | null | undefined,
  header: string | readonly string[] | undefined,
  fallback: SelectionPolicy,
): SelectionPolicy {
  if (typeof model === 'string' && model.startsWith('auto:')) {
    return policyOrThrow(model.slice('auto:'.length), 'model', `\`${model}\``);
  }
  const value = typeof header === 'string' ? header : header?.[0];
  if (typeof value === 'string' && value.trim() !== '') {
    return policyOrThrow(value, null, `the ${POLICY_HEADER} header value \`${value}\``);
  }
  return fallback;
}

function policyOrThrow(raw: string, param: string | null, what: string): SelectionPolicy {
  const name = raw.trim().toLowerCase();
  const policy = SYNONYMS[name] ?? SELECTION_POLICIES.find((known) => known === name);
  if (policy === undefined) {
    throw GatewayException.invalidRequest(
      `Unknown selection policy in ${what}: use auto, ${SELECTION_POLICIES.map((p) => `auto:${p}`).join(', ')} or the ${POLICY_HEADER} header with one of ${SELECTION_POLICIES.join(', ')}.`,
      param,
      'invalid_value',
    );
  }
  return policy;
}
