import { ProviderModel } from '../chat.types';
import { StraicoModelEntry } from './straico.types';

/**
 * A Straico chat model as an OpenAI model entry, listed as `straico/<id>` (Straico's own ids
 * contain `/` and may start with another provider's name, e.g. `openai/gpt-4o-mini`), with
 * Straico's pricing and limits kept as extra fields.
 */
export function toProviderModel(
  entry: StraicoModelEntry,
  providerId: string,
): ProviderModel | null {
  if (
    typeof entry.id !== 'string' ||
    (entry.model_type !== undefined && entry.model_type !== 'chat')
  ) {
    return null;
  }
  return {
    id: `${providerId}/${entry.id}`,
    object: 'model',
    created: entry.created ?? 0,
    owned_by: entry.owned_by ?? entry.id.split('/')[0] ?? providerId,
    name: entry.name,
    pricing: entry.pricing,
    word_limit: entry.word_limit,
    max_output: entry.max_output,
  };
}
