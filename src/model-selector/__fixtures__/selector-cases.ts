import { ChatCompletionRequest, ChatMessage } from '../../providers/chat.types';
import { CatalogModel, ModelTier } from '../../catalog/model-catalog.types';
import { selectModel } from '../model-selector';
import { profileRequest } from '../request-profile';
import { SelectionPolicy } from '../selection-policy';
import { o200kTokenCounter } from '../../tokens/token-counter';

/** Shared by the selector's decision and refusal specs. */

const FULL = { vision: true, tools: true, jsonSchema: true };

export function model(
  id: string,
  tier: ModelTier,
  [input, output]: [number, number],
  overrides: Partial<CatalogModel> = {},
): CatalogModel {
  return {
    id,
    provider: 'openai',
    upstreamId: id,
    aliases: [],
    contextWindow: 128_000,
    maxOutput: 16_384,
    inputPricePerMTok: input,
    outputPricePerMTok: output,
    capabilities: FULL,
    tier,
    fallbacks: [],
    ...overrides,
  };
}

/** Tiers and prices shaped like OpenAI's, with gaps to exercise each filter. */
export const CATALOG: CatalogModel[] = [
  model('tiny', 'small', [0.1, 0.4], {
    contextWindow: 16_000,
    maxOutput: 4_096,
    capabilities: { vision: false, tools: true, jsonSchema: false },
  }),
  model('mini', 'small', [0.15, 0.6], { aliases: ['fast'] }),
  model('mid', 'medium', [0.4, 1.6], { contextWindow: 1_000_000, maxOutput: 32_768 }),
  model('thinker', 'medium', [1.1, 4.4], {
    contextWindow: 200_000,
    maxOutput: 100_000,
    reasoning: true,
  }),
  model('big', 'large', [2, 8], { contextWindow: 1_000_000, maxOutput: 32_768 }),
  model('flagship', 'large', [2.5, 10], { aliases: ['smart'] }),
];

const user = (content: ChatMessage['content']): ChatMessage => ({ role: 'user', content });
export const ask = (content: ChatMessage['content'], fields: Record<string, unknown> = {}) =>
  ({ model: 'auto', messages: [user(content)], ...fields }) as ChatCompletionRequest;

export const HELLO = ask('Hi there!');
export const CODE = ask('Write a Python function that parses a CSV file.');
export const HARD = ask('Prove step by step that the square root of 2 is irrational.');
/** About 150k tokens: more than the 128k models hold. */
export const LONG = ask('The committee met on Tuesday to discuss the budget. '.repeat(15_000));
export const IMAGE = ask([
  { type: 'text', text: 'What is in this picture?' },
  { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
]);
export const TOOLS = ask('What is the weather in Paris?', {
  tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object' } } }],
});
export const SCHEMA = ask('Give me a user record.', {
  response_format: { type: 'json_schema', json_schema: { name: 'user', schema: {} } },
});

export interface Row {
  request: ChatCompletionRequest;
  policy: SelectionPolicy;
  expected: string;
  reason: string;
  allowed?: string[];
  unhealthy?: string[];
  candidates?: CatalogModel[];
}

export function select(row: Omit<Row, 'expected' | 'reason'>) {
  return selectModel(profileRequest(row.request, o200kTokenCounter), row.candidates ?? CATALOG, {
    policy: row.policy,
    allowed: row.allowed && new Set(row.allowed),
    isHealthy: (id) => !(row.unhealthy ?? []).includes(id),
  });
}
