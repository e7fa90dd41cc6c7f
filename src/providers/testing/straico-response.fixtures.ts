import { AnswerShaping } from '../straico/straico-response.mapper';
import { ToolDefinition } from '../straico/straico-tools';

/** The tools the Straico response mapper specs offer the model. */
export const straicoTools: ToolDefinition[] = [
  {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  },
  { name: 'get_time', parameters: { type: 'object', properties: {} } },
];

/** A plain answer's shaping (no tools, no JSON mode) with `overrides`. */
export function shaping(overrides: Partial<AnswerShaping> = {}): AnswerShaping {
  return {
    tools: [],
    wantsJson: false,
    requestedModel: 'straico/meta-llama/llama-4-maverick',
    ...overrides,
  };
}
